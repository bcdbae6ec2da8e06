/** readPiiIntegrationsFromEnv: what the environment turns on, wired against the local Confluence and Bedrock servers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { PiiKind } from '../../core/pii/types.js';
import { readPiiIntegrationsFromEnv } from '../../integrations/pii-integrations.js';
import { startBedrockServer, type BedrockServer } from '../servers/bedrock-server.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';

const EMAIL = 'svc@example.org';
const TOKEN = 'confluence-token-123';
const KEY_ID = 'AKIAENVTEST000000001';
const SECRET = 'env/test/secret';

describe('readPiiIntegrationsFromEnv', () => {
  let confluence: ConfluenceServer;
  let bedrock: BedrockServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    confluence = await startConfluenceServer({ email: EMAIL, apiToken: TOKEN });
    bedrock = await startBedrockServer({ region: 'eu-west-1', credentials: { [KEY_ID]: SECRET } });
    env = {
      UNDERSTUDY_CONFLUENCE_HOST: confluence.url,
      UNDERSTUDY_CONFLUENCE_EMAIL: EMAIL,
      UNDERSTUDY_CONFLUENCE_API_TOKEN: TOKEN,
      UNDERSTUDY_CONFLUENCE_SPACE: 'DATA',
      UNDERSTUDY_BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0',
      UNDERSTUDY_BEDROCK_ENDPOINT: bedrock.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K: '1',
      UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K: '0',
    };
  });
  afterAll(async () => {
    await confluence.stop();
    await bedrock.stop();
  });

  it('configures nothing but the local text generator from an empty environment', () => {
    const none = readPiiIntegrationsFromEnv({});
    expect(none.classifiers).toEqual([]);
    expect(none.textGenerator.name).toBe('local');
    expect(none.confluence).toBeUndefined();
    expect(none.bedrock).toBeUndefined();
    expect(none.summary).toEqual(['free text: local lorem generator']);
  });

  it('wires Confluence and Bedrock so they answer through their clients', async () => {
    const wired = readPiiIntegrationsFromEnv(env, { sleep: () => Promise.resolve() });
    expect(wired.classifiers.map((c) => c.name)).toEqual(['confluence', 'bedrock']);
    expect(wired.textGenerator.name).toBe('bedrock');
    const field = {
      table: 'customers',
      column: 'email',
      physicalType: 'string' as const,
      maskedExamples: ['xxx@xxx.xx'],
    };
    for (const classifier of wired.classifiers) {
      const result = await classifier.classify([field]);
      expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    }
    expect(
      await wired.textGenerator.generate({
        table: 't',
        column: 'notes',
        minLength: 10,
        maxLength: 80,
        rows: [{ a: 1 }],
      }),
    ).toHaveLength(1);
    // The configured price applies: 1 USD per 1k input tokens, output free.
    const usage = wired.bedrock?.usage();
    expect(usage?.costUsd).toBeCloseTo((usage?.inputTokens ?? 0) / 1000, 12);
    const summary = wired.summary.join('\n');
    expect(summary).toContain('space DATA');
    expect(summary).not.toContain(TOKEN);
    expect(summary).not.toContain(SECRET);
  });

  it('lets the Bedrock classifier or text generator be switched off', () => {
    const textOnly = readPiiIntegrationsFromEnv({ ...env, UNDERSTUDY_BEDROCK_CLASSIFY: 'false' });
    expect(textOnly.classifiers.map((c) => c.name)).toEqual(['confluence']);
    expect(textOnly.textGenerator.name).toBe('bedrock');
    const classifyOnly = readPiiIntegrationsFromEnv({ ...env, UNDERSTUDY_BEDROCK_TEXT: 'no' });
    expect(classifyOnly.textGenerator.name).toBe('local');
  });

  it('names the variable at fault in configuration errors', () => {
    const partial = {
      UNDERSTUDY_CONFLUENCE_HOST: 'https://x.atlassian.net',
      UNDERSTUDY_CONFLUENCE_EMAIL: EMAIL,
      UNDERSTUDY_CONFLUENCE_SPACE: 'DATA',
    };
    // Host and credentials without the data-dictionary space only publish run pages: no classifier.
    expect(
      readPiiIntegrationsFromEnv({ UNDERSTUDY_CONFLUENCE_HOST: 'https://x.atlassian.net' }).confluence,
    ).toBeUndefined();
    expect(() => readPiiIntegrationsFromEnv(partial)).toThrow(ConfigError);
    expect(() => readPiiIntegrationsFromEnv(partial)).toThrow(/^UNDERSTUDY_CONFLUENCE_API_TOKEN: /);
    expect(() =>
      readPiiIntegrationsFromEnv({ UNDERSTUDY_BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0' }),
    ).toThrow(/^AWS_REGION: /);
    expect(() => readPiiIntegrationsFromEnv({ ...env, UNDERSTUDY_BEDROCK_TEXT: 'maybe' })).toThrow(
      /^UNDERSTUDY_BEDROCK_TEXT: /,
    );
    const onePrice = { ...env, UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K: '' };
    expect(() => readPiiIntegrationsFromEnv(onePrice)).toThrow(/^UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K: /);
  });
});
