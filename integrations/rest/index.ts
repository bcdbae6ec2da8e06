/** REST API targets: allowlisted hosts only, typed row-to-body templates, batched idempotent requests with retries. */
export {
  parseHostAllowlist,
  checkTargetUrl,
  classifyAddress,
  createGuardedLookup,
  type AllowedHost,
  type HostAllowlist,
  type UrlPermit,
  type AddressClass,
} from './host-guard.js';
export { compileRowTemplate, type JsonValue, type RowRenderer } from './body-template.js';
export { parseRetryAfter, backoffDelay, isRetryableStatus } from './retry-policy.js';
export { RestRetryableError, RestRejectedError } from './errors.js';
export {
  createRestTarget,
  idempotencyKeyFor,
  type BatchBody,
  type BatchOutcome,
  type RecordFailure,
  type RestPartCursor,
  type RestPartResult,
  type RestTarget,
  type RestTargetOptions,
} from './rest-target.js';
