import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SensitivityReport } from '../../core/pii/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { ksComplement } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import {
  createLayoutFormatter,
  inferDatetimeLayout,
  parseTemplate,
  parseWithLayout,
} from '../../core/synth/datetime-layout.js';
import { fitSynthModel, sampleChunk, type DatetimeLayout, type SynthModel } from '../../core/synth/index.js';
import { charClassOf, createTextGenerator, profileText } from '../../core/synth/text-profile.js';
import type { CellValue, ColumnData, Table } from '../../core/table.js';

const DAY = 86_400_000;

/** Renders epoch ms (UTC) in a few source layouts, as a source system would write them. */
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const writers: Record<string, (ms: number) => string> = {
  'iso space seconds': (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19),
  'european date': (ms) => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  },
  'us unpadded 12h': (ms) => {
    const d = new Date(ms);
    const h = d.getUTCHours();
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
  },
  'offset +01:00': (ms) => {
    const d = new Date(ms + 3_600_000);
    return `${d.toISOString().slice(0, 19)}+01:00`;
  },
  'offset -0500 millis': (ms) => {
    const d = new Date(ms - 5 * 3_600_000);
    return `${d.toISOString().slice(0, 23)}-0500`;
  },
  'month name': (ms) => {
    const d = new Date(ms);
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  },
  'dotted german': (ms) => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  },
  'slashed ymd': (ms) => {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  },
  'oracle upper month': (ms) => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())}-${(MONTHS[d.getUTCMonth()] as string).toUpperCase()}-${d.getUTCFullYear()}`;
  },
};

const expected: Record<string, string> = {
  'iso space seconds': '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}',
  'european date': '{DD}/{MM}/{YYYY}',
  'us unpadded 12h': '{M}/{D}/{YYYY} {h}:{mm} {A}',
  'offset +01:00': '{YYYY}-{MM}-{DD}T{HH}:{mm}:{ss}+01:00',
  'offset -0500 millis': '{YYYY}-{MM}-{DD}T{HH}:{mm}:{ss}.{S3}-0500',
  'month name': '{MMM} {D}, {YYYY}',
  'dotted german': '{DD}.{MM}.{YYYY}',
  'slashed ymd': '{YYYY}/{MM}/{DD}',
  'oracle upper month': '{DD}-{MON}-{YYYY}',
};

function instants(n: number, seed: number, stepMs: number): number[] {
  const rng = createRng(seed);
  return Array.from(
    { length: n },
    () => Date.UTC(2015, 0, 1) + rng.nextInt(Math.floor((3000 * DAY) / stepMs)) * stepMs,
  );
}

describe('datetime layouts', () => {
  it.each(Object.keys(writers))('infers the layout of "%s" values', (name) => {
    const write = writers[name] as (ms: number) => string;
    const step = name.includes('millis')
      ? 1
      : name.includes('12h')
        ? 60_000
        : name.includes('seconds') || name.includes('offset')
          ? 1000
          : DAY;
    const layout = inferDatetimeLayout(instants(500, 1, step).map(write));
    expect(layout?.template).toBe(expected[name]);
    if (name.startsWith('offset +')) expect(layout?.offsetMinutes).toBe(60);
    if (name.startsWith('offset -')) expect(layout?.offsetMinutes).toBe(-300);
  });

  it('round-trips: text written in a layout parses back to the same instant, and re-renders identically', () => {
    const layouts: DatetimeLayout[] = [
      { template: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}', offsetMinutes: 0 },
      { template: '{YYYY}-{MM}-{DD}T{HH}:{mm}:{ss}.{S3}+05:30', offsetMinutes: 330 },
      { template: '{M}/{D}/{YYYY} {h}:{mm}:{ss} {a}', offsetMinutes: 0 },
      { template: '{D} {MMMM} {YYYY}, {H}h{mm}', offsetMinutes: -120 },
      { template: '{MMM} {D}{o}, {YYYY}', offsetMinutes: 0 },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000_000, max: 4_000_000_000 }),
        fc.constantFrom(...layouts),
        (seconds, layout) => {
          const hasSeconds = layout.template.includes('{ss}');
          const hasTime = layout.template.includes('{H') || layout.template.includes('{h');
          const step = !hasTime ? DAY : hasSeconds ? (layout.template.includes('S3') ? 1 : 1000) : 60_000;
          const local = Math.floor((seconds * 1000 + 123) / step) * step;
          const format = createLayoutFormatter(layout, local - DAY, local + DAY);
          const text = format(local);
          expect(parseWithLayout(layout, text)).toBe(local - layout.offsetMinutes * 60_000);
          expect(format(parseWithLayout(layout, text) + layout.offsetMinutes * 60_000)).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects text that does not fit the layout, and templates with unknown tokens', () => {
    const layout = { template: '{DD}/{MM}/{YYYY}', offsetMinutes: 0 };
    expect(parseWithLayout(layout, '31/04/2024')).toBeNaN();
    expect(parseWithLayout(layout, '2024-04-01')).toBeNaN();
    expect(parseWithLayout(layout, '01/04/2024x')).toBeNaN();
    expect(parseTemplate('{YYYY}-{QQ}')).toBeUndefined();
    expect(parseTemplate('{YYYY')).toBeUndefined();
    expect(inferDatetimeLayout([1, 2, null])).toBeNull();
  });

  it('writes synthetic values in the source layout and timezone, within the source range', () => {
    const rows = 3000;
    const columns: ColumnData[] = Object.entries(writers).map(([name, write]) => ({
      name: name.replace(/\W+/g, '_'),
      type: 'string',
      values: instants(rows, 7, name.includes('millis') ? 1 : 60_000).map(write),
    }));
    const table: Table = { rowCount: rows, columns };
    const profile = profileTable(table);
    const model = fitSynthModel(table, profile, classifyTable(table, profile));
    const out = sampleChunk(model, { seed: 2, chunkIndex: 0, startRow: 0, rowCount: 3000 });
    model.columns.forEach((c, i) => {
      expect(c.kind).toBe('datetime');
      if (c.kind !== 'datetime' || c.layout === null) throw new Error('expected a layout');
      const real = table.columns[i]?.values as string[];
      const synth = out.columns[i]?.values as string[];
      const realMs = real.map((v) => parseWithLayout(c.layout as DatetimeLayout, v));
      const synthMs = synth.map((v) => parseWithLayout(c.layout as DatetimeLayout, v));
      // Every synthetic value reads back in the layout, inside the sample's range, and re-renders identically.
      const lo = Math.min(...realMs);
      const hi = Math.max(...realMs);
      expect(synthMs.filter((ms) => !(ms >= lo && ms <= hi))).toEqual([]);
      expect(ksComplement(realMs, synthMs)).toBeGreaterThan(0.95);
      expect(synth.every((v) => v.length >= 8)).toBe(true);
    });
    // Values shown in +01:00 keep the offset literally.
    const offsetColumn = out.columns.find((c) => c.name === 'offset_01_00')?.values as string[];
    for (const v of offsetColumn) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+01:00$/);
  });

  it('keeps ISO output for date and timestamp columns', () => {
    const table: Table = {
      rowCount: 400,
      columns: [
        {
          name: 'd',
          type: 'date',
          values: instants(400, 3, DAY).map((ms) => new Date(ms).toISOString().slice(0, 10)),
        },
        {
          name: 't',
          type: 'timestamp',
          values: instants(400, 4, 1000).map((ms) => new Date(ms).toISOString()),
        },
      ],
    };
    const profile = profileTable(table);
    const model = fitSynthModel(table, profile, classifyTable(table, profile));
    const out = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 500 });
    for (const v of out.columns[0]?.values ?? []) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const v of out.columns[1]?.values ?? []) expect(new Date(v as string).toISOString()).toBe(v);
  });
});

function notSensitive(table: Table): SensitivityReport {
  return {
    threshold: 0.7,
    sampledValuesPerColumn: 1000,
    fields: table.columns.map((c) => ({
      column: c.name,
      kind: 'none',
      confidence: 0,
      sensitive: false,
      reasons: [],
    })),
  };
}

function shares(values: readonly CellValue[]): number[] {
  const counts = [0, 0, 0, 0, 0];
  let total = 0;
  for (const v of values) {
    if (typeof v !== 'string') continue;
    for (let i = 0; i < v.length; i++) {
      const c = charClassOf(v.charCodeAt(i));
      counts[c] = (counts[c] as number) + 1;
      total++;
    }
  }
  return counts.map((c) => c / total);
}

describe('free text', () => {
  const rng = createRng(31);
  const codes = Array.from({ length: 3000 }, () => {
    const letters = String.fromCharCode(65 + rng.nextInt(26), 65 + rng.nextInt(26));
    return `${letters}-${String(rng.nextInt(10_000)).padStart(4, '0')}/${rng.nextInt(90) + 10}`;
  });
  const words = ['alpha', 'beta', 'gamma', 'delta', 'system', 'order', 'late', 'customer', 'called'];
  const prose = Array.from({ length: 3000 }, () =>
    Array.from({ length: 3 + rng.nextInt(10) }, () => words[rng.nextInt(words.length)])
      .join(' ')
      .toUpperCase(),
  );

  it('profiles character classes: codes are not prose, sentences are', () => {
    const codeProfile = profileText(codes);
    expect(codeProfile?.prose).toBe(false);
    expect(codeProfile?.punctuation.split('').sort().join('')).toBe('-/');
    expect(codeProfile?.classShares[2]).toBeCloseTo(6 / 10, 1);
    expect(profileText(prose)?.prose).toBe(true);
    expect(profileText([null, ''])).toBeNull();
  });

  it('generates values of the profiled length and character mix, never a sample value', () => {
    const table: Table = {
      rowCount: 3000,
      columns: [
        { name: 'code', type: 'string', values: codes },
        { name: 'comment', type: 'string', values: prose },
      ],
    };
    const profile = { ...profileTable(table) };
    // Force both to text: this test is about the text generator, not about the profiler's typing.
    profile.columns = profile.columns.map((c) => ({ ...c, semanticType: 'text' as const }));
    const model: SynthModel = fitSynthModel(table, profile, notSensitive(table));
    const out = sampleChunk(model, { seed: 3, chunkIndex: 0, startRow: 0, rowCount: 5000 });
    const code = out.columns[0]?.values as string[];
    const comment = out.columns[1]?.values as string[];
    const realShares = shares(codes);
    const synthShares = shares(code);
    realShares.forEach((s, i) => expect(Math.abs((synthShares[i] as number) - s)).toBeLessThan(0.05));
    const real = new Set<string>(codes);
    expect(code.filter((v) => real.has(v))).toEqual([]);
    for (const v of code) {
      expect(v.length).toBeGreaterThanOrEqual(10);
      expect(v.length).toBeLessThanOrEqual(10);
      expect(v).toMatch(/^[A-Za-z0-9/-]+$/);
    }
    // Upper-case prose comes back as upper-case words of similar length.
    for (const v of comment) expect(v).toBe(v.toUpperCase());
    const mean = (xs: string[]) => xs.reduce((a, b) => a + b.length, 0) / xs.length;
    expect(Math.abs(mean(comment) - mean(prose)) / mean(prose)).toBeLessThan(0.15);
  });

  it('falls back to lorem when a model carries no profile', () => {
    const generate = createTextGenerator({
      name: 't',
      physicalType: 'string',
      nullRate: 0,
      kind: 'text',
      length: { min: 20, max: 40, mean: 30 },
      profile: null,
    });
    const r = createRng(1);
    for (let i = 0; i < 200; i++) {
      const v = generate(r);
      expect(v.length).toBeGreaterThanOrEqual(20);
      expect(v.length).toBeLessThanOrEqual(40);
    }
  });
});

describe('categories keep their relation to numbers', () => {
  function graded(rows: number): Table {
    const rng = createRng(17);
    const grade: CellValue[] = [];
    const score: CellValue[] = [];
    // Frequency order (e, a, c, b, d) differs from the order along the score (a … e).
    const cumulative: [string, number][] = [
      ['e', 0.3],
      ['a', 0.55],
      ['c', 0.75],
      ['b', 0.9],
      ['d', 1],
    ];
    for (let i = 0; i < rows; i++) {
      const u = rng.nextDouble();
      const g = (cumulative.find(([, p]) => u < p) ?? cumulative[4])?.[0] as string;
      grade.push(g);
      score.push(Math.round((10 * 'abcde'.indexOf(g) + 3 * rng.nextNormal()) * 10) / 10);
    }
    return {
      rowCount: rows,
      columns: [
        { name: 'grade', type: 'string', values: grade },
        { name: 'score', type: 'float', values: score },
      ],
    };
  }

  /** Largest difference between real and synthetic mean score within a grade. */
  function worstMeanGap(real: Table, synth: Table): number {
    const means = (t: Table) => {
      const sums = new Map<CellValue, [number, number]>();
      t.columns[0]?.values.forEach((g, i) => {
        const e = sums.get(g) ?? [0, 0];
        e[0] += t.columns[1]?.values[i] as number;
        e[1]++;
        sums.set(g, e);
      });
      return new Map([...sums].map(([g, [sum, n]]) => [g, sum / n]));
    };
    const r = means(real);
    const s = means(synth);
    return Math.max(...[...r].map(([g, m]) => Math.abs(m - (s.get(g) ?? Infinity))));
  }

  it('orders categories along the associated number, so per-category means survive', () => {
    const table = graded(6000);
    const profile = profileTable(table);
    const sensitivity = notSensitive(table);
    const associated = fitSynthModel(table, profile, sensitivity);
    const byFrequency = fitSynthModel(table, profile, sensitivity, { categoryOrder: 'frequency' });
    expect(associated.columns[0]).toMatchObject({ categories: ['a', 'b', 'c', 'd', 'e'] });
    expect(byFrequency.columns[0]).toMatchObject({ categories: ['e', 'a', 'c', 'b', 'd'] });
    const req = { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 20_000 };
    const gapAssociated = worstMeanGap(table, sampleChunk(associated, req));
    const gapFrequency = worstMeanGap(table, sampleChunk(byFrequency, req));
    expect(gapAssociated).toBeLessThan(3);
    expect(gapFrequency).toBeGreaterThan(2 * gapAssociated);
    // Frequencies are kept either way.
    const counts = (t: Table) => (t.columns[0]?.values ?? []).filter((v) => v === 'd').length / t.rowCount;
    expect(Math.abs(counts(sampleChunk(associated, req)) - counts(table))).toBeLessThan(0.01);
  });
});

describe('identifiers keep their pattern and letter case', () => {
  it('generates lower-case keys for lower-case sources', () => {
    const n = 2000;
    const rng = createRng(4);
    const keys = Array.from(
      { length: n },
      (_, i) => `acct-${String.fromCharCode(97 + rng.nextInt(26))}${String(i).padStart(6, '0')}`,
    );
    const table: Table = { rowCount: n, columns: [{ name: 'account_id', type: 'string', values: keys }] };
    const profile = profileTable(table);
    const model = fitSynthModel(table, profile, notSensitive(table));
    expect(model.columns[0]).toMatchObject({ kind: 'identifier', letterCase: 'lower' });
    const out = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 3000 });
    const values = out.columns[0]?.values as string[];
    for (const v of values) expect(v).toMatch(/^acct-[a-z]\d{6,}$/);
    expect(new Set(values).size).toBe(3000);
  });
});
