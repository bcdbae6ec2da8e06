/**
 * The environment of a test process: the system under test through {@link TestEnvVar}, plus the few
 * variables programs need to start. Nothing else of the worker's environment is passed on, because
 * generated (possibly model-written) tests must not see the worker's credentials (Jira, AWS, …).
 */
import { TestEnvVar, type TestEnvironment } from '../../core/testing/types.js';

/** Variables of the worker's environment a test process inherits. */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'XDG_RUNTIME_DIR',
  // Python found through pyenv or a virtualenv.
  'PYENV_ROOT',
  'PYENV_VERSION',
  'VIRTUAL_ENV',
  'PYTHONPATH',
  'PYTHONHOME',
  // Certificates for HTTPS systems under test.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
] as const;

/** Builds the environment of every test process of a run. */
export function buildTestProcessEnv(
  environment: TestEnvironment,
  extra: Record<string, string> = {},
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  env.NO_COLOR = '1';
  env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const apiUrl = environment.apiUrl ?? environment.baseUrl;
  if (environment.baseUrl !== undefined) env[TestEnvVar.baseUrl] = environment.baseUrl;
  if (apiUrl !== undefined) env[TestEnvVar.apiUrl] = apiUrl;
  if (environment.database !== undefined) env[TestEnvVar.database] = JSON.stringify(environment.database);
  return { ...env, ...extra };
}
