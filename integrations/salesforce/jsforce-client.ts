/**
 * Opens an authenticated jsforce Connection from {@link SalesforceCredentials}: SOAP (or OAuth2 password)
 * login, an access token, the OAuth2 client-credentials flow, or the JWT bearer flow signed here with
 * node:crypto (jsforce accepts the assertion but does not build one).
 */
import { createSign, randomUUID } from 'node:crypto';
import { Connection } from 'jsforce';
import { ConfigError } from '../../core/errors.js';
import type { SalesforceCredentials } from './credentials.js';
import {
  errorCodeOf,
  SalesforceRateLimitError,
  SalesforceTransientError,
  toSalesforceError,
} from './errors.js';

/** The API version used when a target names none. */
export const DEFAULT_API_VERSION = '62.0';

/** Options of {@link connectSalesforce}. */
export interface ConnectOptions {
  /** @default DEFAULT_API_VERSION */
  apiVersion?: string;
}

/** Logs in (or takes the access token) and returns a connection ready for Bulk API 2.0 calls. */
export async function connectSalesforce(
  creds: SalesforceCredentials,
  options: ConnectOptions = {},
): Promise<Connection> {
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  try {
    switch (creds.kind) {
      case 'accessToken':
        return new Connection({ instanceUrl: creds.instanceUrl, accessToken: creds.accessToken, version });
      case 'password': {
        const conn = new Connection({
          loginUrl: creds.loginUrl,
          version,
          ...(creds.clientId !== undefined && creds.clientSecret !== undefined
            ? {
                oauth2: {
                  loginUrl: creds.loginUrl,
                  clientId: creds.clientId,
                  clientSecret: creds.clientSecret,
                },
              }
            : {}),
        });
        await conn.login(creds.username, creds.password);
        return conn;
      }
      case 'clientCredentials': {
        const conn = new Connection({
          version,
          oauth2: { loginUrl: creds.loginUrl, clientId: creds.clientId, clientSecret: creds.clientSecret },
        });
        await conn.authorize({ grant_type: 'client_credentials' });
        return conn;
      }
      case 'jwt': {
        const conn = new Connection({
          version,
          oauth2: { loginUrl: creds.loginUrl, clientId: creds.clientId },
        });
        await conn.authorize({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: signJwtAssertion(creds),
        });
        return conn;
      }
    }
  } catch (err) {
    throw loginError(err, creds.kind);
  }
}

/** An RS256 JWT bearer assertion (iss = client id, sub = username, aud = login host), valid three minutes. */
export function signJwtAssertion(
  creds: { clientId: string; username: string; privateKey: string; audience: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({
    iss: creds.clientId,
    sub: creds.username,
    aud: creds.audience,
    exp: nowSeconds + 180,
    jti: randomUUID(),
  });
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(creds.privateKey, 'base64url');
  } catch (cause) {
    throw new ConfigError('the JWT private key is not a usable RSA private key (PEM)', 'credentials', {
      cause,
    });
  }
  return `${head}.${claims}.${signature}`;
}

/** Login failures: refused credentials are a config problem; limits and network trouble stay retryable. */
function loginError(err: unknown, kind: SalesforceCredentials['kind']): Error {
  if (err instanceof ConfigError) return err;
  const mapped = toSalesforceError(err, { operation: `${kind} login` });
  if (mapped instanceof SalesforceRateLimitError || mapped instanceof SalesforceTransientError) return mapped;
  // SOAP faults arrive as a plain Error whose message starts with the fault code, e.g. INVALID_LOGIN.
  const code =
    errorCodeOf(err) ?? (err instanceof Error ? /^[A-Z_]+(?=:)/.exec(err.message)?.[0] : undefined);
  return new ConfigError(`${kind} login refused${code ? ` (${code})` : ''}`, 'credentials', { cause: err });
}
