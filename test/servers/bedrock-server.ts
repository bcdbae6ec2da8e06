/**
 * A local Amazon Bedrock runtime with the Converse endpoint (`POST /model/{modelId}/converse`) as
 * @aws-sdk/client-bedrock-runtime calls it (over HTTP/2, the client's only transport): SigV4 verified with the test secret, request bodies
 * validated as the service does (alternating turns, non-blank text, temperature and maxTokens
 * ranges, known model), answers in the Converse response shape with token usage, errors with the
 * `x-amzn-errortype` header and `{message}` body. A deterministic "model" answers classification
 * prompts from column names and masked example shapes, and free-text prompts from the row context;
 * it can be told to throttle, fail, or answer badly for the next calls.
 */
import { randomUUID } from 'node:crypto';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { listenHttp2, sendJson, type RunningServer } from './http-helpers.js';
import { verifySigV4, type SigV4Failure, type SigV4Pass } from './sigv4.js';

/** How the next call should go wrong. */
export type BedrockFault =
  | 'throttle'
  | 'service-unavailable'
  | 'access-denied'
  | 'malformed'
  | 'schema'
  | 'wrong-count'
  | 'max-tokens';

/** One request as the server saw it. */
export interface RecordedBedrockRequest {
  modelId: string;
  /** The request body exactly as received. */
  rawBody: string;
  auth: SigV4Pass | SigV4Failure;
  status: number;
  /** Token usage reported back (0 for errors). */
  inputTokens: number;
  outputTokens: number;
}

/** Options of {@link startBedrockServer}. */
export interface BedrockServerOptions {
  region: string;
  /** Access key id → secret the server accepts. */
  credentials: Readonly<Record<string, string>>;
  /** Model ids that exist. @default a few well-known ids */
  models?: readonly string[];
}

/** A running local Bedrock runtime. */
export interface BedrockServer extends RunningServer {
  readonly requests: RecordedBedrockRequest[];
  /** Make the next `n` Converse calls fail with `fault` (queued after faults already pending). */
  failNext(fault: BedrockFault, n?: number): void;
  /**
   * Answers for the next test-writing prompts (`task: "write_test"`), in order, returned verbatim;
   * when none is queued the fake model answers with the prompt's draft in a fenced code block.
   */
  queueTestAnswers(...answers: string[]): void;
  resetRequests(): void;
}

const DEFAULT_MODELS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-lite-v1:0',
  'us.anthropic.claude-3-5-haiku-20241022-v1:0',
];

interface ConverseBody {
  messages?: { role?: string; content?: { text?: string }[] }[];
  system?: { text?: string }[];
  inferenceConfig?: { temperature?: number; maxTokens?: number };
}

/** Starts a local Bedrock runtime on a random port. */
export async function startBedrockServer(options: BedrockServerOptions): Promise<BedrockServer> {
  const models = new Set(options.models ?? DEFAULT_MODELS);
  const requests: RecordedBedrockRequest[] = [];
  const faults: BedrockFault[] = [];
  const testAnswers: string[] = [];

  const handle = (req: Http2ServerRequest, res: Http2ServerResponse, body: Buffer): void => {
    const rawPath = req.url ?? '/';
    const route = /^\/model\/([^/?]+)\/converse(?:\?.*)?$/.exec(rawPath);
    const modelId = route?.[1] === undefined ? '' : decodeURIComponent(route[1]);
    const auth = verifySigV4(
      { method: req.method ?? '', rawPath, headers: req.headers, body },
      options.credentials,
      {
        region: options.region,
        service: 'bedrock',
      },
    );
    const record: RecordedBedrockRequest = {
      modelId,
      rawBody: body.toString('utf8'),
      auth,
      status: 0,
      inputTokens: 0,
      outputTokens: 0,
    };
    requests.push(record);
    const fail = (status: number, error: string, message: string): void => {
      record.status = status;
      sendJson(
        res,
        status,
        { message },
        {
          'x-amzn-errortype': `${error}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
          'x-amzn-requestid': randomUUID(),
        },
      );
    };

    if ('error' in auth) {
      fail(
        auth.error === 'MissingAuthenticationTokenException'
          ? 403
          : auth.error === 'UnrecognizedClientException'
            ? 403
            : 403,
        auth.error,
        auth.message,
      );
      return;
    }
    if (req.method !== 'POST' || route === null) {
      fail(404, 'UnknownOperationException', 'Unknown operation');
      return;
    }
    let parsed: ConverseBody;
    try {
      parsed = JSON.parse(record.rawBody) as ConverseBody;
    } catch {
      fail(400, 'SerializationException', 'Could not parse the request body as JSON');
      return;
    }
    const invalid = validate(parsed);
    if (invalid !== undefined) {
      fail(400, 'ValidationException', invalid);
      return;
    }
    if (!models.has(modelId)) {
      fail(400, 'ValidationException', 'The provided model identifier is invalid.');
      return;
    }
    const fault = faults.shift();
    if (fault === 'throttle')
      return fail(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    if (fault === 'service-unavailable')
      return fail(503, 'ServiceUnavailableException', 'Service is temporarily unavailable.');
    if (fault === 'access-denied') {
      return fail(
        403,
        'AccessDeniedException',
        "You don't have access to the model with the specified model ID.",
      );
    }

    const prompt = lastUserText(parsed);
    let text = answer(prompt, fault, testAnswers);
    let stopReason = 'end_turn';
    const maxTokens = parsed.inferenceConfig?.maxTokens ?? 4096;
    if (fault === 'max-tokens' || Math.ceil(text.length / 4) > maxTokens) {
      text = text.slice(0, Math.min(text.length - 1, maxTokens * 4));
      stopReason = 'max_tokens';
    }
    const inputChars =
      (parsed.system ?? []).reduce((n, s) => n + (s.text ?? '').length, 0) +
      (parsed.messages ?? []).reduce(
        (n, m) => n + (m.content ?? []).reduce((k, c) => k + (c.text ?? '').length, 0),
        0,
      );
    record.inputTokens = Math.ceil(inputChars / 4);
    record.outputTokens = Math.ceil(text.length / 4);
    record.status = 200;
    sendJson(
      res,
      200,
      {
        output: { message: { role: 'assistant', content: [{ text }] } },
        stopReason,
        usage: {
          inputTokens: record.inputTokens,
          outputTokens: record.outputTokens,
          totalTokens: record.inputTokens + record.outputTokens,
        },
        metrics: { latencyMs: 42 },
      },
      { 'x-amzn-requestid': randomUUID() },
    );
  };

  const running = await listenHttp2(handle);
  return {
    ...running,
    requests,
    failNext(fault, n = 1) {
      for (let i = 0; i < n; i++) faults.push(fault);
    },
    queueTestAnswers(...answers) {
      testAnswers.push(...answers);
    },
    resetRequests() {
      requests.length = 0;
      faults.length = 0;
      testAnswers.length = 0;
    },
  };
}

/** The service's own checks of a Converse request (the messages the real service gives). */
function validate(body: ConverseBody): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    return 'A conversation must start with a user message.';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const role = i % 2 === 0 ? 'user' : 'assistant';
    if (m?.role !== role) return 'A conversation must alternate between user and assistant roles.';
    if (!Array.isArray(m.content) || m.content.length === 0)
      return 'The content field in the Message object is empty.';
    for (const block of m.content) {
      if (typeof block.text !== 'string' || block.text.trim().length === 0)
        return 'The text field in the ContentBlock object is blank.';
    }
  }
  if (messages[messages.length - 1]?.role !== 'user') return 'A conversation must end with a user message.';
  const t = body.inferenceConfig?.temperature;
  if (t !== undefined && (t < 0 || t > 1)) return 'temperature must be between 0 and 1';
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1))
    return 'maxTokens must be at least 1';
  return undefined;
}

function lastUserText(body: ConverseBody): string {
  // The task is in the first user turn; later turns are corrections.
  return (body.messages?.[0]?.content ?? []).map((c) => c.text ?? '').join('');
}

interface ClassifyTask {
  task: 'classify_fields';
  fields: { table: string; column: string; type: string; examples: string[] }[];
}
interface WriteTestTask {
  task: 'write_test';
  framework: string;
  draft?: string;
}
interface TextTask {
  task: 'write_free_text';
  column: string;
  length: { min: number; max: number; typical: number };
  rows: Record<string, unknown>[];
}

/** The fake model: deterministic answers from the prompt's JSON document. */
function answer(prompt: string, fault: BedrockFault | undefined, testAnswers: string[]): string {
  const start = prompt.indexOf('{');
  const task = JSON.parse(prompt.slice(start)) as ClassifyTask | TextTask | WriteTestTask;
  if (fault === 'malformed') return 'Sure! Here is what I found about these columns: most of them look fine.';
  if (task.task === 'write_test') {
    const scripted = testAnswers.shift();
    if (scripted !== undefined) return scripted;
    const language = task.framework === 'robot' ? 'robotframework' : 'typescript';
    return `Here is the test.\n\n\`\`\`${language}\n${task.draft ?? ''}\`\`\`\n`;
  }
  if (task.task === 'classify_fields') {
    let fields = task.fields.map((f) => ({ column: f.column, ...judge(f.column, f.examples) }));
    if (fault === 'schema') fields = fields.map((f) => ({ ...f, kind: 'banana', confidence: 2 }));
    if (fault === 'wrong-count') fields = fields.slice(0, -1);
    return `\`\`\`json\n${JSON.stringify({ fields })}\n\`\`\``;
  }
  let texts = task.rows.map((row) => writeText(task.column, row, task.length));
  if (fault === 'schema') return JSON.stringify(texts.map((text) => ({ text })));
  if (fault === 'wrong-count') texts = texts.slice(0, -1);
  return JSON.stringify(texts);
}

const NAME_RULES: readonly [RegExp, string, string][] = [
  [/(^|_)(e_?mail|mail)(_|$)/, 'email', 'the column name says email'],
  [/(^|_)(phone|tel|mobile)(_|$)/, 'phone', 'the column name says phone number'],
  [/(^|_)(dob|birth|birthday)(_|$)|date_of_birth/, 'date_of_birth', 'the column name says date of birth'],
  [/first_?name|given_?name/, 'first_name', 'the column name says first name'],
  [/last_?name|surname/, 'last_name', 'the column name says last name'],
  [/(^|_)ssn(_|$)/, 'ssn', 'the column name says social security number'],
  [/(^|_)iban(_|$)/, 'iban', 'the column name says IBAN'],
  [/(^|_)(notes?|comments?)(_|$)/, 'free_text', 'the column holds free text'],
];

function judge(
  column: string,
  examples: readonly string[],
): { kind: string; confidence: number; reason: string } {
  const name = column.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  for (const [rule, kind, reason] of NAME_RULES)
    if (rule.test(name)) return { kind, confidence: 0.9, reason };
  if (examples.length > 0 && examples.every((e) => /^[xX9._%+-]+@[xX9-]+(\.[xX]+)+$/.test(e))) {
    return { kind: 'email', confidence: 0.8, reason: 'the examples have the shape of email addresses' };
  }
  if (examples.length > 0 && examples.some((e) => /^XX99( ?[X9]{4})+( ?[X9]{1,3})?$/.test(e))) {
    return { kind: 'iban', confidence: 0.7, reason: 'the examples have the shape of IBANs' };
  }
  return { kind: 'none', confidence: 0.85, reason: 'nothing suggests personal data' };
}

function writeText(
  column: string,
  row: Record<string, unknown>,
  length: { min: number; max: number; typical: number },
): string {
  const context = Object.entries(row)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  let text = `${column.replace(/_/g, ' ')} for ${context || 'this row'}.`;
  const filler = [
    ' Customer asked for a follow-up.',
    ' Resolved after a second call.',
    ' No further action needed.',
  ];
  for (let i = 0; text.length < length.typical; i++) text += filler[i % filler.length];
  return text.length > length.max ? text.slice(0, length.max) : text;
}
