/**
 * One Converse call with bounded exponential backoff on throttling and transient service errors,
 * token usage recorded on every answered attempt.
 */
import { ConverseCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockCallError } from './errors.js';
import type { UsageTracker } from './usage.js';

/** How throttled calls are retried. */
export interface RetryPolicy {
  /** Attempts after the first. @default 5 */
  maxRetries?: number;
  /** First delay; doubles per retry. @default 1000 */
  baseDelayMs?: number;
  /** Longest single delay. @default 20000 */
  maxDelayMs?: number;
  /** How to wait (tests pass a recorder). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1): the delay is d/2 + random·d/2. @default Math.random */
  random?: () => number;
}

/** A conversation to send: a system prompt and alternating user/assistant turns ending with the user. */
export interface ConverseRequest {
  system: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  temperature: number;
  maxTokens: number;
}

/** The model's text and why it stopped. */
export interface ConverseAnswer {
  text: string;
  stopReason: string | undefined;
}

// Errors worth waiting for; the rest (access, validation, unknown model) fail the same way again.
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelNotReadyException',
  'InternalServerException',
  'NetworkError',
]);

/** Sends `request` to `modelId`, retrying throttling with backoff as `policy` allows. */
export async function converse(
  client: BedrockRuntimeClient,
  modelId: string,
  request: ConverseRequest,
  policy: RetryPolicy,
  usage: UsageTracker,
  what: string,
): Promise<ConverseAnswer> {
  const maxRetries = Math.max(0, policy.maxRetries ?? 5);
  const base = policy.baseDelayMs ?? 1000;
  const maxDelay = policy.maxDelayMs ?? 20_000;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = policy.random ?? Math.random;
  const command = new ConverseCommand({
    modelId,
    system: [{ text: request.system }],
    messages: request.messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
    inferenceConfig: { temperature: request.temperature, maxTokens: request.maxTokens },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await client.send(command);
      usage.recordCall(response.usage?.inputTokens ?? 0, response.usage?.outputTokens ?? 0);
      const text = (response.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
      return { text, stopReason: response.stopReason };
    } catch (thrown) {
      const { name, status } = describe(thrown);
      const retryable = RETRYABLE.has(name);
      if (!retryable || attempt >= maxRetries) {
        throw new BedrockCallError(what, name, status, retryable, { cause: thrown });
      }
      usage.recordThrottle();
      const d = Math.min(maxDelay, base * 2 ** attempt);
      await sleep(Math.round(d / 2 + random() * (d / 2)));
    }
  }
}

function describe(thrown: unknown): { name: string; status: number | undefined } {
  if (typeof thrown !== 'object' || thrown === null) return { name: 'UnknownError', status: undefined };
  const e = thrown as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  // No HTTP status means no answer arrived (refused connection, reset, timeout).
  if (status === undefined) return { name: 'NetworkError', status };
  return { name: typeof e.name === 'string' ? e.name : 'UnknownError', status };
}
