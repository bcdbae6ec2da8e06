/**
 * Which hosts a REST target may reach: only http(s) URLs whose host is on the operator's allowlist,
 * and never a link-local, unspecified, multicast or cloud-metadata address, whatever a name resolves
 * to (checked at connect time, so DNS rebinding cannot slip past), nor a loopback address unless the
 * operator allowlisted a loopback host itself.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { ConfigError } from '../../core/errors.js';

/** One allowlist entry: a host (exact or `*.suffix`) and optionally a port. */
export interface AllowedHost {
  host: string;
  wildcard: boolean;
  port?: number;
}

/** The operator's allowlist (worker configuration, never the run config). */
export interface HostAllowlist {
  entries: readonly AllowedHost[];
}

const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Parses a comma-separated allowlist such as `api.example.com,*.test.internal,127.0.0.1:8080`. */
export function parseHostAllowlist(
  text: string | undefined,
  field = 'UNDERSTUDY_REST_ALLOWED_HOSTS',
): HostAllowlist {
  const entries: AllowedHost[] = [];
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    const m = /^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(item);
    if (m === null)
      throw new ConfigError(`entry ${JSON.stringify(item)} is not a host, *.domain or host:port`, field);
    const host = (m[2] as string).replace(/^\[|\]$/g, '');
    const port = m[3] === undefined ? undefined : Number(m[3]);
    if (port !== undefined && (port < 1 || port > 65535))
      throw new ConfigError(`entry ${JSON.stringify(item)} has an invalid port`, field);
    entries.push({ host, wildcard: m[1] !== undefined, ...(port === undefined ? {} : { port }) });
  }
  return { entries };
}

/** What the guard decided about a URL before connecting. */
export interface UrlPermit {
  url: URL;
  /** Whether loopback addresses are acceptable (the matching allowlist entry is itself a loopback host). */
  allowLoopback: boolean;
}

/** Checks scheme, allowlist and (for IP literals) the address of a target URL; throws ConfigError naming `field`. */
export function checkTargetUrl(raw: string, allowlist: HostAllowlist, field = 'url'): UrlPermit {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('is not a valid URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError('must be an http:// or https:// URL', field);
  if (url.username !== '' || url.password !== '')
    throw new ConfigError('must not carry credentials (use a worker credential)', field);
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (METADATA_NAMES.has(host)) throw new ConfigError('names a cloud metadata service', field);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const entry = allowlist.entries.find(
    (e) =>
      (e.port === undefined || e.port === port) &&
      (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host),
  );
  if (entry === undefined) {
    throw new ConfigError(`host ${host} is not on the REST allowlist (UNDERSTUDY_REST_ALLOWED_HOSTS)`, field);
  }
  const allowLoopback =
    !entry.wildcard &&
    (entry.host === 'localhost' || (isIP(entry.host) !== 0 && classifyAddress(entry.host) === 'loopback'));
  if (isIP(host) !== 0) {
    const reason = refusalOf(host, allowLoopback);
    if (reason !== undefined) throw new ConfigError(`address is ${reason}`, field);
  }
  return { url, allowLoopback };
}

/** The kind of an IP address that matters for outgoing requests. */
export type AddressClass =
  'loopback' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'public-or-private';

/** Classifies an IPv4 or IPv6 address (IPv4-mapped and NAT64 forms are judged by their IPv4 address). */
export function classifyAddress(address: string): AddressClass {
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return classifyIpv4(v4);
  const groups = expandIpv6(address);
  if (groups === undefined) return 'unspecified';
  const first = groups[0] as number;
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  // fd00:ec2::254 is the EC2 instance metadata service over IPv6.
  if (
    first === 0xfd00 &&
    groups[1] === 0x0ec2 &&
    groups.slice(2, 7).every((g) => g === 0) &&
    groups[7] === 0x254
  )
    return 'metadata';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return 'public-or-private';
}

function classifyIpv4(octets: number[]): AddressClass {
  const [a, b, c, d] = octets as [number, number, number, number];
  if (a === 169 && b === 254 && c === 169 && d === 254) return 'metadata';
  // Alibaba Cloud's metadata address sits outside the link-local range.
  if (a === 100 && b === 100 && c === 100 && d === 200) return 'metadata';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'unspecified';
  if (a >= 224) return 'multicast';
  return 'public-or-private';
}

function refusalOf(address: string, allowLoopback: boolean): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public-or-private') return undefined;
  if (kind === 'loopback' && allowLoopback) return undefined;
  return kind === 'loopback' ? 'loopback, and no loopback host is allowlisted' : kind;
}

/**
 * A `lookup` for http(s).request that resolves the name and refuses the connection when any address is
 * forbidden, so the address checked is the address connected to.
 */
export function createGuardedLookup(allowLoopback: boolean) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    dnsLookup(
      hostname,
      { all: true, family: Number(options.family ?? 0) as 0 | 4 | 6 },
      (error, addresses) => {
        if (error) return callback(error, []);
        for (const a of addresses) {
          const reason = refusalOf(a.address, allowLoopback);
          if (reason !== undefined) {
            const refused: NodeJS.ErrnoException = new ConfigError(
              `host ${hostname} resolves to an address that is ${reason}`,
              'url',
            );
            refused.code = 'EADDRNOTALLOWED';
            return callback(refused, []);
          }
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (first === undefined)
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
        callback(null, first.address, first.family);
      },
    );
  };
}

function embeddedIpv4(address: string): number[] | undefined {
  if (isIP(address) === 4) return address.split('.').map(Number);
  const groups = expandIpv6(address);
  if (groups === undefined) return undefined;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return undefined;
  const hi = groups[6] as number;
  const lo = groups[7] as number;
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  // A trailing dotted IPv4 becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = (dotted[1] as string).split('.').map(Number) as [number, number, number, number];
    text =
      text.slice(0, -(dotted[1] as string).length) +
      `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : undefined;
}
