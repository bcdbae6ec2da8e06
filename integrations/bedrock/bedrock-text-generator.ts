/**
 * Free text for synthetic rows written by a Bedrock model: batched prompts carrying each row's
 * non-sensitive fields and the column's length range, JSON-array answers checked for count,
 * identical prompts answered from a cache, throttling retried with backoff, cost tracked.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { createRng, deriveSeed } from '../../core/random/index.js';
import { loremOfLength } from '../../core/synth/lorem.js';
import { getVocabulary } from '../../core/synth/vocabulary.js';
import type { CellValue } from '../../core/table.js';
import { requireRegion } from './bedrock-classifier.js';
import { converse, type ConverseRequest, type RetryPolicy } from './converse.js';
import { BedrockAnswerError } from './errors.js';
import { extractJson } from './json-answer.js';
import { lengthRange } from './local-text-generator.js';
import { DEFAULT_BEDROCK_PRICING, type BedrockPricing } from './pricing.js';
import { createMemoryPromptCache, promptCacheKey, type PromptCache } from './prompt-cache.js';
import { createBedrockRuntimeClient } from './runtime-client.js';
import type { FreeTextGenerator, FreeTextRequest } from './text-generator-port.js';
import { createUsageTracker } from './usage.js';

/** Options of {@link createBedrockTextGenerator}. */
export interface BedrockTextGeneratorOptions extends RetryPolicy {
  /** AWS region (used when no `client` is given). */
  region?: string;
  /** Model or inference-profile id. */
  modelId: string;
  /** A configured client; otherwise one is made for `region` with the default credential chain. */
  client?: BedrockRuntimeClient;
  /** Prices per model. @default DEFAULT_BEDROCK_PRICING */
  pricing?: BedrockPricing;
  /** Rows per prompt (fewer when long texts would not fit `maxTokens`). @default 20 */
  rowsPerPrompt?: number;
  /** Sampling temperature; 0 makes answers repeatable. @default 0 */
  temperature?: number;
  /** Output budget per prompt. @default 4096 */
  maxTokens?: number;
  /** Longest context value sent, in characters. @default 80 */
  maxContextValueLength?: number;
  /** Answers by prompt. @default an in-memory cache */
  cache?: PromptCache;
}

const SYSTEM_PROMPT = [
  'You write realistic but entirely fictional free-text values for rows of a test database.',
  'Invent everything: never include real or realistic personal data such as names of people, email',
  'addresses, phone numbers, street addresses, account, card or identity numbers.',
  'Each text fits the row it belongs to (its other fields are given as context) and the length range given.',
  'Reply with a JSON array of strings only, no prose: exactly one string per row, in row order.',
].join('\n');

// Roughly 3 characters per token for prose, plus JSON quoting.
const CHARS_PER_TOKEN = 3;
const TOKENS_PER_TEXT_OVERHEAD = 10;

/** A free-text generator backed by a Bedrock model. */
export function createBedrockTextGenerator(options: BedrockTextGeneratorOptions): FreeTextGenerator {
  const client = options.client ?? createBedrockRuntimeClient({ region: requireRegion(options.region) });
  const usage = createUsageTracker(options.modelId, options.pricing ?? DEFAULT_BEDROCK_PRICING);
  const cache = options.cache ?? createMemoryPromptCache();
  const temperature = options.temperature ?? 0;
  const maxTokens = options.maxTokens ?? 4096;
  const maxContext = options.maxContextValueLength ?? 80;

  async function writeBatch(
    request: FreeTextRequest,
    rows: FreeTextRequest['rows'],
    label: string,
  ): Promise<string[]> {
    const { min, max } = lengthRange(request);
    const userText = `Write one ${request.column} value per row.\n${JSON.stringify({
      task: 'write_free_text',
      table: request.table,
      column: request.column,
      ...(request.description === undefined ? {} : { description: request.description }),
      length: { min, max, typical: Math.round(request.meanLength ?? (min + max) / 2) },
      rows: rows.map((r) => contextOf(r, maxContext)),
    })}`;
    const key = promptCacheKey([options.modelId, temperature, SYSTEM_PROMPT, userText]);
    const cached = await cache.get(key);
    if (cached !== undefined && cached.length === rows.length) {
      usage.recordCacheHit();
      return cached;
    }
    const budget = Math.min(
      maxTokens,
      Math.ceil(rows.length * (max / CHARS_PER_TOKEN + TOKENS_PER_TEXT_OVERHEAD)) + 64,
    );
    const conversation: ConverseRequest = {
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', text: userText }],
      temperature,
      maxTokens: budget,
    };
    for (let attempt = 0; ; attempt++) {
      const answer = await converse(
        client,
        options.modelId,
        conversation,
        options,
        usage,
        `free text for ${label}`,
      );
      if (answer.stopReason === 'max_tokens' && rows.length > 1) {
        const half = Math.ceil(rows.length / 2);
        return [
          ...(await writeBatch(request, rows.slice(0, half), `${label} (first half)`)),
          ...(await writeBatch(request, rows.slice(half), `${label} (second half)`)),
        ];
      }
      const checked = checkTexts(answer.text, answer.stopReason, rows.length);
      if (checked.ok) {
        const texts = checked.texts.map((t) => fitLength(t, min, max));
        await cache.set(key, texts);
        return texts;
      }
      if (attempt >= 1) throw new BedrockAnswerError(label, checked.problem);
      usage.recordInvalidAnswer();
      conversation.messages.push(
        { role: 'assistant', text: answer.text.length > 0 ? answer.text : '(empty)' },
        {
          role: 'user',
          text: `That reply was not usable: ${checked.problem}. Reply again with only the JSON array of ${rows.length} strings.`,
        },
      );
    }
  }

  return {
    name: 'bedrock',
    usage: () => usage.snapshot(),
    async generate(request) {
      const { max } = lengthRange(request);
      // As many rows as the output budget holds, so a normal batch is never cut off.
      const fit = Math.floor((maxTokens - 64) / (max / CHARS_PER_TOKEN + TOKENS_PER_TEXT_OVERHEAD));
      const perPrompt = Math.max(1, Math.min(options.rowsPerPrompt ?? 20, fit));
      const batches = Math.ceil(request.rows.length / perPrompt);
      const texts: string[] = [];
      for (let b = 0; b < batches; b++) {
        const rows = request.rows.slice(b * perPrompt, (b + 1) * perPrompt);
        texts.push(
          ...(await writeBatch(
            request,
            rows,
            `batch ${b + 1}/${batches} of ${request.table}.${request.column}`,
          )),
        );
      }
      return texts;
    },
  };
}

const textsSchema = z.array(z.string());

type CheckedTexts = { ok: true; texts: string[] } | { ok: false; problem: string };

function checkTexts(text: string, stopReason: string | undefined, expected: number): CheckedTexts {
  if (stopReason !== undefined && stopReason !== 'end_turn' && stopReason !== 'stop_sequence') {
    return { ok: false, problem: `the model stopped with ${stopReason}` };
  }
  const parsed = textsSchema.safeParse(extractJson(text, '['));
  if (!parsed.success) return { ok: false, problem: 'the reply contains no JSON array of strings' };
  if (parsed.data.length !== expected) {
    return { ok: false, problem: `expected ${expected} texts, got ${parsed.data.length}` };
  }
  return { ok: true, texts: parsed.data };
}

function contextOf(row: Readonly<Record<string, CellValue>>, maxLength: number): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null) continue;
    out[k] = typeof v === 'string' && v.length > maxLength ? v.slice(0, maxLength) : v;
  }
  return out;
}

/**
 * The text brought into [min, max]: long texts cut at a word boundary, short ones completed with
 * lorem words (deterministically, from the text itself).
 */
export function fitLength(text: string, min: number, max: number): string {
  let t = text.replace(/\s+/g, ' ').trim();
  if (t.length > max) {
    const cut = t.slice(0, max);
    const space = cut.lastIndexOf(' ');
    t = space >= Math.max(1, min) ? cut.slice(0, space).trimEnd() : cut;
  }
  if (t.length < min) {
    let h = 0;
    for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
    const rng = createRng(deriveSeed(h >>> 0, min, max));
    const need = min - t.length - (t.length > 0 ? 1 : 0);
    const filler = need > 0 ? loremOfLength(getVocabulary().loremWords, need, rng) : '';
    t = t.length > 0 && filler.length > 0 ? `${t} ${filler}` : t + filler;
    if (t.length < min) t = t.padEnd(min, '.');
  }
  return t;
}
