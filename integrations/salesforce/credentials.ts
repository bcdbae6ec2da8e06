/**
 * Salesforce credentials from environment variables, so secrets never enter a run config or workflow
 * history. `UNDERSTUDY_SF_*` is the default org; a target's `connection: "sandbox"` reads `UNDERSTUDY_SF_SANDBOX_*`.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';

/** Where production orgs log in; sandboxes use `https://test.salesforce.com` or their My Domain URL. */
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

/** How the worker authenticates to one org. */
export type SalesforceCredentials =
  | { kind: 'accessToken'; instanceUrl: string; accessToken: string }
  | {
      kind: 'password';
      loginUrl: string;
      username: string;
      password: string;
      clientId?: string;
      clientSecret?: string;
    }
  | { kind: 'clientCredentials'; loginUrl: string; clientId: string; clientSecret: string }
  | {
      kind: 'jwt';
      loginUrl: string;
      clientId: string;
      username: string;
      privateKey: string;
      audience: string;
    };

/** The variable-name prefix of a named connection (`UNDERSTUDY_SF_` without a name). */
export function credentialsPrefix(connection?: string): string {
  return connection === undefined ? 'UNDERSTUDY_SF_' : `UNDERSTUDY_SF_${connection.toUpperCase()}_`;
}

/**
 * Reads the credentials of a connection; picks, in order, an access token, a JWT bearer key, client
 * credentials, or username and password, and names the variables to set when none is complete.
 */
export function readSalesforceCredentials(
  env: Readonly<Record<string, string | undefined>>,
  connection?: string,
): SalesforceCredentials {
  const p = credentialsPrefix(connection);
  const get = (name: string): string | undefined => {
    const v = env[p + name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const loginUrl = (get('LOGIN_URL') ?? DEFAULT_LOGIN_URL).replace(/\/+$/, '');
  checkUrl(loginUrl, `${p}LOGIN_URL`);

  const accessToken = get('ACCESS_TOKEN');
  const instanceUrl = get('INSTANCE_URL');
  if (accessToken !== undefined || instanceUrl !== undefined) {
    if (accessToken === undefined || instanceUrl === undefined) {
      throw new ConfigError(`set both ${p}ACCESS_TOKEN and ${p}INSTANCE_URL`, 'credentials');
    }
    checkUrl(instanceUrl, `${p}INSTANCE_URL`);
    return { kind: 'accessToken', instanceUrl: instanceUrl.replace(/\/+$/, ''), accessToken };
  }
  const clientId = get('CLIENT_ID');
  const clientSecret = get('CLIENT_SECRET');
  const username = get('USERNAME');
  const keyFile = get('PRIVATE_KEY_FILE');
  const inlineKey = get('PRIVATE_KEY');
  if (keyFile !== undefined || inlineKey !== undefined) {
    if (clientId === undefined || username === undefined) {
      throw new ConfigError(
        `JWT bearer login needs ${p}CLIENT_ID and ${p}USERNAME as well as the private key`,
        'credentials',
      );
    }
    let privateKey = inlineKey?.replace(/\\n/g, '\n');
    if (keyFile !== undefined) {
      try {
        privateKey = readFileSync(keyFile, 'utf8');
      } catch (cause) {
        throw new ConfigError(`cannot read the file named by ${p}PRIVATE_KEY_FILE`, 'credentials', { cause });
      }
    }
    return {
      kind: 'jwt',
      loginUrl,
      clientId,
      username,
      privateKey: privateKey ?? '',
      audience: (get('JWT_AUDIENCE') ?? audienceFor(loginUrl)).replace(/\/+$/, ''),
    };
  }
  const password = get('PASSWORD');
  if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) {
      throw new ConfigError(`set both ${p}USERNAME and ${p}PASSWORD`, 'credentials');
    }
    const token = get('SECURITY_TOKEN') ?? '';
    return {
      kind: 'password',
      loginUrl,
      username,
      password: password + token,
      ...(clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : {}),
    };
  }
  if (clientId !== undefined && clientSecret !== undefined) {
    return { kind: 'clientCredentials', loginUrl, clientId, clientSecret };
  }
  throw new ConfigError(
    `no Salesforce credentials: set ${p}ACCESS_TOKEN and ${p}INSTANCE_URL, or ${p}USERNAME and ${p}PASSWORD, ` +
      `or ${p}CLIENT_ID and ${p}CLIENT_SECRET, or ${p}CLIENT_ID, ${p}USERNAME and ${p}PRIVATE_KEY_FILE`,
    'credentials',
  );
}

/** JWT audience: Salesforce wants its login host (test.salesforce.com for sandboxes), not a My Domain URL. */
function audienceFor(loginUrl: string): string {
  return /test\.salesforce\.com|\.sandbox\.my\.salesforce\.com/i.test(loginUrl)
    ? 'https://test.salesforce.com'
    : DEFAULT_LOGIN_URL;
}

function checkUrl(value: string, variable: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable} is not a URL`, 'credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${variable} must be an http(s) URL`, 'credentials');
  }
}
