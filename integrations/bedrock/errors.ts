/**
 * Errors of the Bedrock integration. Messages name the model, the batch and the fields at fault
 * (column names), never prompts, answers or example values.
 */

/** A Converse call failed (after the retries its error allows). */
export class BedrockCallError extends Error {
  override readonly name = 'BedrockCallError';
  /** The service's error name, e.g. `ThrottlingException`, `AccessDeniedException`. */
  readonly errorName: string;
  /** HTTP status when the service answered. */
  readonly status: number | undefined;
  /** True for throttling and transient service errors: a later attempt may succeed. */
  readonly retryable: boolean;
  constructor(
    what: string,
    errorName: string,
    status: number | undefined,
    retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `Bedrock ${what} failed: ${errorName}${status === undefined ? '' : ` (HTTP ${status})`}${hint(errorName)}`,
      options,
    );
    this.errorName = errorName;
    this.status = status;
    this.retryable = retryable;
  }
}

/** The model answered, but not with what was asked (not JSON, wrong schema, wrong count), even after one retry. */
export class BedrockAnswerError extends Error {
  override readonly name = 'BedrockAnswerError';
  /** Which batch, e.g. `batch 2/5 of customers`. */
  readonly batch: string;
  /** The problem, naming fields or positions only. */
  readonly problem: string;
  constructor(batch: string, problem: string) {
    super(`Bedrock answer for ${batch} was not usable after one retry: ${problem}`);
    this.batch = batch;
    this.problem = problem;
  }
}

function hint(errorName: string): string {
  if (errorName === 'AccessDeniedException')
    return ' (the credentials may lack bedrock:InvokeModel, or the model is not enabled in this region)';
  if (errorName === 'ValidationException') return ' (check UNDERSTUDY_BEDROCK_MODEL_ID and the region)';
  if (errorName === 'UnrecognizedClientException' || errorName === 'InvalidSignatureException')
    return ' (check the AWS credentials)';
  return '';
}
