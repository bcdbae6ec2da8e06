/**
 * The optional LLM classifier: asks a Bedrock model (Converse API, temperature 0) what kind of
 * personal data each column holds, from its table, name, type and masked examples only. The
 * answer must be JSON matching a schema; one corrective retry, then a clear error.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { ExternalClassifier, FieldContext } from '../../core/pii/external.js';
import { maskExample } from '../../core/pii/llm-masking.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from '../../core/pii/types.js';
import { converse, type ConverseRequest, type RetryPolicy } from './converse.js';
import { BedrockAnswerError } from './errors.js';
import { extractJson } from './json-answer.js';
import { DEFAULT_BEDROCK_PRICING, type BedrockPricing } from './pricing.js';
import { createBedrockRuntimeClient } from './runtime-client.js';
import { createUsageTracker, type BedrockUsage } from './usage.js';

/** Options of {@link createBedrockClassifier}. */
export interface BedrockClassifierOptions extends RetryPolicy {
  /** AWS region (used when no `client` is given). */
  region?: string;
  /** Model or inference-profile id, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`. */
  modelId: string;
  /** A configured client; otherwise one is made for `region` with the default credential chain. */
  client?: BedrockRuntimeClient;
  /** Prices per model. @default DEFAULT_BEDROCK_PRICING */
  pricing?: BedrockPricing;
  /** Fields per prompt. @default 20 */
  fieldsPerPrompt?: number;
  /** Masked examples sent per field. @default 5 */
  examplesPerField?: number;
  /** Output budget per prompt; a batch cut off at it is split in two. @default 2048 */
  maxTokens?: number;
}

/** A Bedrock classifier with its token usage and cost. */
export interface BedrockClassifier extends ExternalClassifier {
  usage(): BedrockUsage;
}

const KINDS = Object.values(PiiKind) as [PiiKind, ...PiiKind[]];

const answerSchema = z.object({
  fields: z.array(
    z.object({
      column: z.string(),
      kind: z.enum(KINDS),
      confidence: z.number().min(0).max(1),
      reason: z.string(),
    }),
  ),
});
type Answer = z.infer<typeof answerSchema>;

const SYSTEM_PROMPT = [
  'You classify database columns for personal and sensitive data.',
  'For each column you get its table, name, physical type and a few example values in which every letter is',
  'replaced by x or X and every digit by 9 (punctuation and spacing kept), so only their shape is visible.',
  'Reply with JSON only, no prose, exactly in this form:',
  '{"fields":[{"column":"<the column name exactly as given>","kind":"<kind>","confidence":<number 0..1>,"reason":"<one short sentence>"}]}',
  `with exactly one entry per column. kind is one of: ${KINDS.join(', ')}.`,
  'Use "none" when the column holds no personal or sensitive data. Never repeat example values in reasons.',
].join('\n');

const MAX_REASON = 200;

/** A classifier that asks a Bedrock model about fields, in batches, with usage and cost tracked. */
export function createBedrockClassifier(options: BedrockClassifierOptions): BedrockClassifier {
  const client = options.client ?? createBedrockRuntimeClient({ region: requireRegion(options.region) });
  const usage = createUsageTracker(options.modelId, options.pricing ?? DEFAULT_BEDROCK_PRICING);
  const perPrompt = Math.max(1, options.fieldsPerPrompt ?? 20);
  const examplesPerField = Math.max(0, options.examplesPerField ?? 5);
  const maxTokens = options.maxTokens ?? 2048;

  async function classifyBatch(fields: readonly FieldContext[], label: string): Promise<Answer['fields']> {
    const prompt = JSON.stringify({
      task: 'classify_fields',
      fields: fields.map((f) => ({
        table: f.table,
        column: f.column,
        type: f.physicalType,
        // Masked again here: the port promises masked examples, and re-masking a masked value changes nothing.
        examples: f.maskedExamples.slice(0, examplesPerField).map((e) => maskExample(e)),
      })),
    });
    const request: ConverseRequest = {
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', text: `Classify these columns:\n${prompt}` }],
      temperature: 0,
      maxTokens,
    };
    const asked = fields.map((f) => f.column);
    for (let attempt = 0; ; attempt++) {
      const answer = await converse(
        client,
        options.modelId,
        request,
        options,
        usage,
        `classification of ${label}`,
      );
      if (answer.stopReason === 'max_tokens' && fields.length > 1) {
        // The answer did not fit: two smaller prompts will.
        const half = Math.ceil(fields.length / 2);
        return [
          ...(await classifyBatch(fields.slice(0, half), `${label} (first half)`)),
          ...(await classifyBatch(fields.slice(half), `${label} (second half)`)),
        ];
      }
      const checked = checkAnswer(answer.text, answer.stopReason, asked);
      if (checked.ok) return checked.fields;
      if (attempt >= 1) throw new BedrockAnswerError(label, checked.problem);
      usage.recordInvalidAnswer();
      request.messages.push(
        { role: 'assistant', text: answer.text.length > 0 ? answer.text : '(empty)' },
        {
          role: 'user',
          text: `That reply was not usable: ${checked.problem}. Reply again with only the JSON object, one entry per column.`,
        },
      );
    }
  }

  return {
    name: ClassifierName.Bedrock,
    usage: () => usage.snapshot(),
    async classify(fields) {
      const result = new Map<string, ClassifierContribution[]>();
      const batches = Math.ceil(fields.length / perPrompt);
      for (let b = 0; b < batches; b++) {
        const batch = fields.slice(b * perPrompt, (b + 1) * perPrompt);
        const table = [...new Set(batch.map((f) => f.table))].join(', ');
        const answered = await classifyBatch(batch, `batch ${b + 1}/${batches} of ${table}`);
        for (const a of answered) {
          result.set(a.column, [
            {
              classifier: ClassifierName.Bedrock,
              kind: a.kind,
              score: a.confidence,
              reason: `Bedrock ${options.modelId}: ${shorten(a.reason)}`,
            },
          ]);
        }
      }
      return result;
    },
  };
}

type Checked = { ok: true; fields: Answer['fields'] } | { ok: false; problem: string };

/** The answer validated against the schema and the columns asked; problems name positions and fields, never values. */
function checkAnswer(text: string, stopReason: string | undefined, asked: readonly string[]): Checked {
  if (stopReason !== undefined && stopReason !== 'end_turn' && stopReason !== 'stop_sequence') {
    return { ok: false, problem: `the model stopped with ${stopReason}` };
  }
  const json = extractJson(text, '{');
  if (json === undefined) return { ok: false, problem: 'the reply contains no JSON object' };
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.code}`);
    return { ok: false, problem: `the JSON does not match the schema (${issues.join('; ')})` };
  }
  const wanted = new Set(asked);
  const seen = new Set<string>();
  for (const f of parsed.data.fields) {
    if (!wanted.has(f.column))
      return { ok: false, problem: 'the reply names a column that was not asked about' };
    if (seen.has(f.column)) return { ok: false, problem: `field ${f.column} is answered twice` };
    seen.add(f.column);
  }
  const missing = asked.filter((c) => !seen.has(c));
  if (missing.length > 0) return { ok: false, problem: `no answer for field(s) ${missing.join(', ')}` };
  return { ok: true, fields: parsed.data.fields };
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

function shorten(reason: string): string {
  const r = reason.replace(/\s+/g, ' ').trim();
  return r.length <= MAX_REASON ? r : `${r.slice(0, MAX_REASON - 3)}...`;
}

/** The region, or a configuration error naming the variable to set. */
export function requireRegion(region: string | undefined): string {
  if (region === undefined || region.length === 0) {
    throw new ConfigError('Bedrock needs a region (or pass a configured client)', 'AWS_REGION');
  }
  return region;
}
