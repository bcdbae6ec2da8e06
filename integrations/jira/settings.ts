/**
 * Jira connection settings from the worker's environment: the site URL plus either an email and
 * API token (basic auth, Jira Cloud) or a personal access token (bearer auth, Data Center).
 */
import { ConfigError } from '../../core/errors.js';

/** Environment variable names read by {@link readJiraSettings}. */
export const JiraEnv = {
  url: 'UNDERSTUDY_JIRA_URL',
  email: 'UNDERSTUDY_JIRA_EMAIL',
  apiToken: 'UNDERSTUDY_JIRA_API_TOKEN',
  pat: 'UNDERSTUDY_JIRA_PAT',
} as const;

/** How requests authenticate. */
export type JiraAuth = { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };

/** Where Jira is and how to log in. */
export interface JiraSettings {
  /** Site URL without a trailing slash, e.g. `https://your-domain.atlassian.net`. */
  host: string;
  auth: JiraAuth;
}

/** Reads Jira settings from the environment; undefined when `UNDERSTUDY_JIRA_URL` is unset (Jira off). */
export function readJiraSettings(env: NodeJS.ProcessEnv = process.env): JiraSettings | undefined {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const url = get(JiraEnv.url);
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('not a URL (expected e.g. https://your-domain.atlassian.net)', JiraEnv.url);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('must be an http(s) URL', JiraEnv.url);
  }
  const host = url.replace(/\/+$/, '');
  const pat = get(JiraEnv.pat);
  const email = get(JiraEnv.email);
  const apiToken = get(JiraEnv.apiToken);
  if (pat !== undefined) {
    if (email !== undefined || apiToken !== undefined) {
      throw new ConfigError(
        `set either ${JiraEnv.pat} (bearer) or ${JiraEnv.email} with ${JiraEnv.apiToken} (basic), not both`,
        JiraEnv.pat,
      );
    }
    return { host, auth: { kind: 'bearer', token: pat } };
  }
  if (email === undefined) {
    throw new ConfigError(`required with ${JiraEnv.apiToken} (or set ${JiraEnv.pat} instead)`, JiraEnv.email);
  }
  if (apiToken === undefined) throw new ConfigError(`required with ${JiraEnv.email}`, JiraEnv.apiToken);
  return { host, auth: { kind: 'basic', email, apiToken } };
}
