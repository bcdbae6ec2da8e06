/**
 * The REST target against the local REST API (test/servers/rest-target-server.ts): typed templates,
 * batching with bounded concurrency, Retry-After and backoff on 429/503, a lost acknowledgement
 * answered from the server's idempotency store, per-record and whole-batch failures, resuming from a
 * cursor without resending acknowledged batches, and the host guard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import {
  createGuardedLookup,
  createRestTarget,
  idempotencyKeyFor,
  parseHostAllowlist,
  RestRejectedError,
  RestRetryableError,
  type RestPartCursor,
  type RestTarget,
  type RestTargetOptions,
} from '../../integrations/rest/index.js';
import { startRestTargetServer, type RestTargetServer } from '../servers/rest-target-server.js';

function customers(n: number): Table {
  return {
    rowCount: n,
    columns: [
      { name: 'id', type: 'integer', values: Array.from({ length: n }, (_, i) => i + 1) },
      {
        name: 'name',
        type: 'string',
        values: Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : `Name ${i}`)),
      },
      { name: 'balance', type: 'float', values: Array.from({ length: n }, (_, i) => i * 1.5) },
      { name: 'active', type: 'boolean', values: Array.from({ length: n }, (_, i) => i % 2 === 0) },
    ],
  };
}

const servers: RestTargetServer[] = [];
const targets: RestTarget[] = [];
afterEach(async () => {
  for (const t of targets.splice(0)) t.close();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function setup(
  serverOptions: Parameters<typeof startRestTargetServer>[0] = {},
  targetOptions: Partial<RestTargetOptions> = {},
): Promise<{ server: RestTargetServer; target: RestTarget; sleeps: number[] }> {
  const server = await startRestTargetServer(serverOptions);
  servers.push(server);
  const sleeps: number[] = [];
  const target = createRestTarget({
    url: `${server.url}/records`,
    allowlist: parseHostAllowlist(`127.0.0.1:${server.port}`),
    batchSize: 10,
    concurrency: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...targetOptions,
  });
  targets.push(target);
  return { server, target, sleeps };
}

const keyFor = (batch: number) => idempotencyKeyFor({ run: 'run-1', target: 'api', part: 0, batch });

describe('REST target', () => {
  it('sends every row once, in batches with a typed template and one idempotency key per batch', async () => {
    const { server, target } = await setup(
      { recordsField: 'items', authorization: 'Bearer s3cret' },
      {
        body: { field: 'items' },
        authorization: 'Bearer s3cret',
        headers: { 'X-Tenant': 'qa' },
        template: {
          externalId: '{{id}}',
          profile: { label: 'Customer {{ name }}', name: '{{name}}' },
          money: ['{{balance}}'],
          on: '{{active}}',
        },
      },
    );
    const result = await target.sendPart(customers(95), { idempotencyKey: keyFor });
    expect(result).toMatchObject({ loaded: 95, skipped: 0, failed: 0, batches: 10 });
    expect(server.stored).toHaveLength(95);
    expect(server.stored).toContainEqual({
      externalId: 4,
      profile: { label: 'Customer ', name: null },
      money: [4.5],
      on: false,
    });
    expect(server.stored).toContainEqual({
      externalId: 1,
      profile: { label: 'Customer Name 0', name: 'Name 0' },
      money: [0],
      on: true,
    });
    const ids = (server.stored as { externalId: number }[]).map((r) => r.externalId).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    expect(server.keys).toEqual(new Set(Array.from({ length: 10 }, (_, b) => keyFor(b))));
    expect(server.requests.every((r) => r.authorization === 'Bearer s3cret' && r.method === 'POST')).toBe(
      true,
    );
    expect(keyFor(3)).toBe(idempotencyKeyFor({ run: 'run-1', target: 'api', part: 0, batch: 3 }));
    expect(keyFor(3)).not.toBe(idempotencyKeyFor({ run: 'run-1', target: 'api', part: 1, batch: 3 }));
  });

  it('honours Retry-After in seconds and as an HTTP date, and backs off with jitter when it is absent', async () => {
    const { server, target, sleeps } = await setup({}, { concurrency: 1 });
    const inThirtySeconds = new Date(Date.now() + 30_000).toUTCString();
    server.failNext(
      { kind: 'status', status: 429, retryAfter: '2' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfter: inThirtySeconds },
    );
    const result = await target.sendPart(customers(20), { idempotencyKey: keyFor });
    expect(result).toMatchObject({ loaded: 20, failed: 0 });
    expect(server.stored).toHaveLength(20);
    // 2 s as asked; then random 0.5 × 500·2^1 and 0.5 × 500·2^2; then the date's distance (about 30 s).
    expect(sleeps.slice(0, 3)).toEqual([2000, 500, 1000]);
    expect(sleeps[3]).toBeGreaterThan(25_000);
    expect(sleeps[3]).toBeLessThanOrEqual(30_000);
  });

  it('hands a batch back as retryable when Retry-After exceeds what an attempt waits', async () => {
    const { server, target } = await setup({}, { concurrency: 1, maxRetryAfterMs: 10_000 });
    server.failNext({ kind: 'status', status: 429, retryAfter: '120' });
    const error = await target.sendPart(customers(10), { idempotencyKey: keyFor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestRetryableError);
    expect((error as RestRetryableError).retryAfterMs).toBe(120_000);
    expect(server.stored).toHaveLength(0);
  });

  it('a lost acknowledgement is retried with the same key and the API stores the batch once', async () => {
    const { server, target } = await setup({}, { concurrency: 1 });
    server.failNext({ kind: 'drop-after-store' }, { kind: 'drop-before-store' });
    const result = await target.sendPart(customers(30), { idempotencyKey: keyFor });
    expect(result).toMatchObject({ loaded: 30, failed: 0 });
    expect(server.stored).toHaveLength(30);
    const first = server.requests.filter((r) => r.idempotencyKey === keyFor(0));
    expect(first.map((r) => [r.status, r.replay])).toEqual([
      [-1, false],
      [-1, false],
      [200, true],
    ]);
  });

  it('captures per-record failures and whole-batch refusals with their rows, and counts them', async () => {
    const { server, target } = await setup(
      {
        rejectRecord: (r) =>
          (r as { id: number }).id % 10 === 0 ? { code: 'duplicate', message: 'already exists' } : undefined,
      },
      { concurrency: 1 },
    );
    server.failNext({ kind: 'status', status: 200 }, { kind: 'status', status: 422 });
    // The first fault answers 200 without storing (a non-idempotent API would lose those records silently).
    const outcomes: { batch: number; failed: number; rows: number[] }[] = [];
    const result = await target.sendPart(customers(40), {
      idempotencyKey: keyFor,
      onBatch: (o) =>
        void outcomes.push({ batch: o.batch, failed: o.failed, rows: o.failures.map((f) => f.row) }),
    });
    expect(result.failed).toBe(10 + 2);
    expect(result.loaded).toBe(40 - 12);
    expect(outcomes.find((o) => o.batch === 1)).toEqual({
      batch: 1,
      failed: 10,
      rows: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    });
    // ids 30 and 40 sit at rows 29 and 39 of batches 2 and 3.
    expect(outcomes.find((o) => o.batch === 2)).toEqual({ batch: 2, failed: 1, rows: [29] });
    expect(outcomes.find((o) => o.batch === 3)).toEqual({ batch: 3, failed: 1, rows: [39] });
  });

  it('resumes from a cursor: acknowledged batches are skipped, the rest sent under their keys, nothing doubled', async () => {
    const { server, target } = await setup({}, { concurrency: 2, maxAttempts: 2 });
    const part = customers(100);
    let cursor: RestPartCursor | undefined;
    let answered = 0;
    // After four answers the API starts failing for good: the call gives up, keeping the cursor it reported.
    const first = await target
      .sendPart(part, {
        idempotencyKey: keyFor,
        onBatch: (_o, c) => {
          cursor = c;
          if (++answered === 4)
            server.failNext(...Array.from({ length: 40 }, () => ({ kind: 'status', status: 503 }) as const));
        },
      })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RestRetryableError);
    expect(cursor).toBeDefined();
    const acknowledged = cursor as RestPartCursor;
    expect(acknowledged.loaded).toBeGreaterThanOrEqual(40);
    expect(acknowledged.loaded).toBeLessThan(100);

    // The worker restarts (a new target), the API is healthy again, and the heartbeated cursor comes back.
    server.clearFaults();
    const requestsBefore = server.requests.length;
    const again = createRestTarget({
      url: `${server.url}/records`,
      allowlist: parseHostAllowlist(`127.0.0.1:${server.port}`),
      batchSize: 10,
      concurrency: 2,
      sleep: async () => {},
    });
    targets.push(again);
    const resumed = await again.sendPart(part, { idempotencyKey: keyFor, cursor: acknowledged });
    expect(resumed.skipped).toBe(acknowledged.loaded);
    expect(resumed.loaded).toBe(100 - acknowledged.loaded);
    expect(resumed.failed).toBe(0);
    const resent = new Set(server.requests.slice(requestsBefore).map((r) => r.idempotencyKey));
    for (let b = 0; b < 10; b++) {
      const wasAcknowledged = b < acknowledged.nextBatch || acknowledged.done.includes(b);
      expect(resent.has(keyFor(b))).toBe(!wasAcknowledged);
    }
    const ids = (server.stored as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('stops on refused credentials and on redirects, which are never followed', async () => {
    const { target } = await setup({ authorization: 'Bearer right' }, { authorization: 'Bearer wrong' });
    await expect(target.sendPart(customers(5), { idempotencyKey: keyFor })).rejects.toBeInstanceOf(
      RestRejectedError,
    );
    const { server: s2, target: t2 } = await setup();
    s2.failNext({ kind: 'status', status: 302 });
    await expect(t2.sendPart(customers(5), { idempotencyKey: keyFor })).rejects.toThrow(
      /redirects are not followed/,
    );
  });
});

describe('REST host guard', () => {
  it('refuses hosts off the allowlist, other schemes, credentials in the URL and metadata addresses', () => {
    const allow = parseHostAllowlist(
      'api.example.com, *.test.internal, 169.254.169.254, 127.0.0.1:8080, [fd00:ec2::254]',
    );
    const make = (url: string) => () =>
      createRestTarget({ url, allowlist: allow, sleep: async () => {} }).close();
    expect(make('https://api.example.com/x')).not.toThrow();
    expect(make('https://a.b.test.internal/x')).not.toThrow();
    expect(make('https://test.internal/x')).toThrow(/not on the REST allowlist/);
    expect(make('https://evil.example.com/x')).toThrow(ConfigError);
    expect(make('ftp://api.example.com/x')).toThrow(/http/);
    expect(make('https://user:pw@api.example.com/x')).toThrow(/credentials/);
    expect(make('http://169.254.169.254/latest/meta-data')).toThrow(/metadata/);
    expect(make('http://[fd00:ec2::254]/latest')).toThrow(/metadata/);
    expect(make('http://metadata.google.internal/computeMetadata')).toThrow(/metadata/);
    expect(make('http://127.0.0.1:8080/x')).not.toThrow();
    expect(make('http://127.0.0.1:9090/x')).toThrow(/allowlist/);
    expect(() => parseHostAllowlist('bad host!')).toThrow(/UNDERSTUDY_REST_ALLOWED_HOSTS/);
  });

  it('checks resolved addresses at connect time: a name resolving to loopback is refused unless loopback was allowlisted', async () => {
    const lookup = (allowLoopback: boolean) =>
      new Promise<unknown>((resolve) =>
        createGuardedLookup(allowLoopback)('localhost', { all: true }, (error, address) =>
          resolve(error ?? address),
        ),
      );
    expect(await lookup(false)).toMatchObject({ code: 'EADDRNOTALLOWED' });
    expect(await lookup(true)).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
    const server = await startRestTargetServer();
    servers.push(server);
    // "localhost" allowlisted by name: the operator meant loopback, so it is reachable.
    const ok = createRestTarget({
      url: `http://localhost:${server.port}/records`,
      allowlist: parseHostAllowlist('localhost'),
      sleep: async () => {},
    });
    targets.push(ok);
    expect((await ok.sendPart(customers(3), { idempotencyKey: keyFor })).loaded).toBe(3);
  });
});
