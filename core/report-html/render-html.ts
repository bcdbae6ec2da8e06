/**
 * The report page: one self-contained HTML document drawn from the report's numbers, with inline
 * CSS and SVG, no scripts and a Content-Security-Policy that forbids every network load.
 */
import { barsFigure } from './chart-bars.js';
import { CHART_COLORS, dataTable } from './chart-frame.js';
import { scoreCard } from './chart-gauge.js';
import { heatmapFigure } from './chart-heatmap.js';
import { histogramFigure } from './chart-histogram.js';
import { qqFigure } from './chart-qq.js';
import { escapeHtml, formatEpochMs, formatNumber, formatPercent, jsonForScript } from './format.js';
import type { ColumnReportData, HistogramData, ReportData } from './report-data.js';
import { REPORT_CSS } from './styles.js';

/** Column metrics charted as the per-column shape score. */
const SHAPE_METRICS: ReadonlySet<string> = new Set(['ks_complement', 'tv_complement']);

/** Forbids loading anything (scripts, styles, fonts, images, frames) except the inline styles. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const SERIES = [
  { name: 'real', color: CHART_COLORS.real },
  { name: 'synthetic', color: CHART_COLORS.synthetic },
] as const;

function edgeFormatter(h: HistogramData): (edge: number) => string {
  if (h.unit !== 'epoch_ms') return formatNumber;
  const span = (h.edges[h.edges.length - 1] ?? 0) - (h.edges[0] ?? 0);
  return (edge) => formatEpochMs(edge, span);
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)}</h2>${body}</section>`;
}

function scoresSection(data: ReportData): string {
  const s = data.scores;
  const cards = [
    scoreCard(
      {
        id: 'score-overall',
        title: 'Overall quality score',
        description: `Overall quality ${formatPercent(s.overall)}`,
      },
      s.overall,
      'Overall quality',
    ),
    scoreCard(
      {
        id: 'score-shapes',
        title: 'Column shapes score',
        description: `Column shapes ${formatPercent(s.columnShapes)}`,
      },
      s.columnShapes,
      'Column shapes',
    ),
    scoreCard(
      {
        id: 'score-trends',
        title: 'Column pair trends score',
        description: `Column pair trends ${formatPercent(s.columnPairTrends)}`,
      },
      s.columnPairTrends,
      'Column pair trends',
    ),
  ];
  if (s.diagnostics !== null)
    cards.push(
      scoreCard(
        {
          id: 'score-diagnostics',
          title: 'Diagnostics score',
          description: `Diagnostics ${formatPercent(s.diagnostics)}`,
        },
        s.diagnostics,
        'Diagnostics',
      ),
    );
  const gates = data.gates.length
    ? `<ul class="gates">${data.gates
        .map(
          (g) =>
            `<li><span class="badge ${g.passed ? 'pass' : 'fail'}">${g.passed ? 'passed' : 'blocked'}</span> ` +
            `${escapeHtml(g.gate)} gate${g.reasons.length ? `: ${escapeHtml(g.reasons.join('; '))}` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';
  const diagnostics = s.diagnosticDetails.length
    ? dataTable(
        ['diagnostic', 'score', 'detail'],
        s.diagnosticDetails.map((d) => [d.name, formatPercent(d.score), d.detail ?? '']),
        'Diagnostics',
      )
    : '';
  const shapeRows = data.columns.flatMap((c) =>
    c.metrics.filter((m) => SHAPE_METRICS.has(m.metric)).map((m) => ({ label: c.name, values: [m.value] })),
  );
  const shapes = shapeRows.length
    ? barsFigure(
        {
          id: 'shape-scores',
          title: 'Column shape score per column',
          description: 'KSComplement or TVComplement of each column, 0 to 100%',
        },
        shapeRows,
        { series: [{ name: 'shape score', color: CHART_COLORS.good }], format: formatPercent, max: 1 },
      )
    : '';
  const relationships = data.relationships.length
    ? `<h3>Relationships</h3>${dataTable(
        ['parent', 'child', 'foreign key', 'cardinality shape', 'referential integrity', 'orphans'],
        data.relationships.map((r) => [
          r.parent,
          r.child,
          r.columns.join(', '),
          formatPercent(r.cardinalityShapeSimilarity),
          formatPercent(r.referentialIntegrity),
          String(r.orphans ?? '—'),
        ]),
      )}`
    : '';
  return section(
    'scores',
    'Quality scores',
    `<div class="cards">${cards.join('')}</div>${gates}${diagnostics}${shapes}${relationships}`,
  );
}

function columnCard(c: ColumnReportData, i: number): string {
  const charts: string[] = [];
  const name = c.name;
  if (c.histogram) {
    const what = c.histogram.unit === 'length' ? 'Value length distribution' : 'Distribution';
    charts.push(
      histogramFigure(
        {
          id: `col-${i}-dist`,
          title: `${what} of ${name}`,
          description: `${what} of column ${name}, real and synthetic shares per bin`,
        },
        c.histogram,
        edgeFormatter(c.histogram),
      ),
    );
  }
  if (c.categories) {
    charts.push(
      barsFigure(
        {
          id: `col-${i}-dist`,
          title: `Category frequencies of ${name}`,
          description: `Share of rows per category of column ${name}, real and synthetic`,
        },
        c.categories.labels.map((label, k) => ({
          label: c.categories?.kinds[k] === 'value' ? label : `(${label})`,
          values: [c.categories?.real[k] ?? null, c.categories?.synthetic[k] ?? null],
        })),
        { series: SERIES, format: formatPercent },
      ),
    );
  }
  if (c.qq && c.histogram) {
    const format = edgeFormatter(c.histogram);
    charts.push(
      qqFigure(
        {
          id: `col-${i}-qq`,
          title: `QQ plot of ${name}`,
          description: `Synthetic quantiles against real quantiles of column ${name}, 1% to 99%`,
        },
        c.qq,
        format,
      ),
    );
  }
  const metrics = c.metrics.length
    ? dataTable(
        ['metric', 'value'],
        c.metrics.map((m) => [m.metric, formatNumber(m.value)]),
      )
    : '';
  const hidden = c.valuesHidden ? `<p class="hidden-note">${escapeHtml(c.valuesHidden)}</p>` : '';
  return (
    `<section class="column" id="col-${i}" aria-labelledby="col-${i}-h"><h3 id="col-${i}-h">${escapeHtml(name)}</h3>` +
    `<p class="meta">${escapeHtml(c.kind)} · missing ${formatPercent(c.missing.real)} real / ${formatPercent(c.missing.synthetic)} synthetic · ` +
    `${c.counted.real} / ${c.counted.synthetic} values charted</p>${hidden}${metrics}` +
    `<div class="charts">${charts.join('')}</div></section>`
  );
}

function correlationsSection(data: ReportData): string {
  const c = data.correlations;
  if (c.columns.length < 2)
    return section(
      'correlations',
      'Correlations',
      '<p>Fewer than two numeric or datetime columns: no correlation matrix.</p>',
    );
  const omitted = c.omittedColumns
    ? `<p class="meta">${c.omittedColumns} further numeric/datetime columns are not drawn.</p>`
    : '';
  const maps = [
    heatmapFigure(
      {
        id: 'heat-real',
        title: 'Pearson correlations, real',
        description: 'Pairwise Pearson correlation of numeric and datetime columns in the real sample',
      },
      c.columns,
      c.real,
    ),
    heatmapFigure(
      {
        id: 'heat-synthetic',
        title: 'Pearson correlations, synthetic',
        description: 'Pairwise Pearson correlation of numeric and datetime columns in the synthetic sample',
      },
      c.columns,
      c.synthetic,
    ),
    heatmapFigure(
      {
        id: 'heat-difference',
        title: 'Correlation difference (synthetic − real)',
        description: 'Synthetic minus real Pearson correlation per pair; white means equal',
      },
      c.columns,
      c.difference,
    ),
  ];
  return section('correlations', 'Correlations', `${omitted}<div class="heatmaps">${maps.join('')}</div>`);
}

function kpi(value: string, name: string): string {
  return `<div class="card"><span class="kpi">${escapeHtml(value)}</span><span class="card-name">${escapeHtml(name)}</span></div>`;
}

function privacySection(data: ReportData): string {
  const p = data.privacy;
  if (p === null) return section('privacy', 'Privacy', '<p>Privacy was not evaluated for this report.</p>');
  const cards = [
    kpi(
      formatPercent(p.exactCopyRate),
      `exact copies (${p.exactCopies ?? '—'} of ${p.rowsChecked ?? '—'} rows)`,
    ),
  ];
  let body = '';
  if (p.dcr) {
    const d = p.dcr;
    cards.push(
      kpi(
        formatPercent(d.closerToTrainingShare),
        `closer to training than holdout (expected ${formatPercent(d.expectedCloserToTrainingShare)})`,
      ),
      kpi(formatNumber(d.nndr.p05), 'nearest-neighbour distance ratio, 5th percentile'),
    );
    if (d.overfittingProtection !== undefined && d.overfittingProtection !== null)
      cards.push(kpi(formatPercent(d.overfittingProtection), 'DCR overfitting protection'));
    body += barsFigure(
      {
        id: 'privacy-dcr',
        title: 'Distance to closest record: training vs holdout',
        description:
          'Gower distance from synthetic rows to their nearest training row and nearest holdout row',
      },
      [
        { label: '5th percentile', values: [d.dcrTraining.p05, d.dcrHoldout.p05] },
        { label: 'median', values: [d.dcrTraining.p50, d.dcrHoldout.p50] },
        { label: 'mean', values: [d.dcrTraining.mean, d.dcrHoldout.mean] },
      ],
      {
        series: [
          { name: 'to training', color: CHART_COLORS.real },
          { name: 'to holdout', color: '#72b7b2' },
        ],
        format: formatNumber,
      },
    );
    body += dataTable(
      ['', 'synthetic rows', 'training rows', 'holdout rows', 'NNDR p05', 'NNDR median', 'NNDR mean'],
      [
        [
          'rows and NNDR',
          String(d.syntheticRows),
          String(d.trainingRows),
          String(d.holdoutRows),
          formatNumber(d.nndr.p05),
          formatNumber(d.nndr.p50),
          formatNumber(d.nndr.mean),
        ],
      ],
      'Synthetic rows near training rows more often than near holdout rows, and small distance ratios, point to memorised records.',
    );
  }
  if (p.dcrReference) body += dcrReferenceBlock(p.dcrReference, cards);
  if (p.leakScan) body += leakScanBlock(p.leakScan, cards);
  if (p.generation) {
    const g = p.generation;
    cards.push(kpi(String(g.sensitiveSampleValues ?? '—'), 'sensitive values equal to a sample value'));
    body +=
      `<h3>During generation</h3><p>Every synthetic row was checked: ${g.exactCopies ?? '—'} of ${g.rowsChecked ?? '—'} ` +
      `rows equal a sample row in every column; ${g.sensitiveRedraws ?? '—'} sensitive values were redrawn for ` +
      `equalling a sample value and ${g.sensitiveSampleValues ?? '—'} still equal one.</p>`;
  }
  return section('privacy', 'Privacy', `<div class="cards">${cards.join('')}</div>${body}`);
}

type PrivacyData = NonNullable<ReportData['privacy']>;

function dcrReferenceBlock(d: NonNullable<PrivacyData['dcrReference']>, cards: string[]): string {
  cards.push(kpi(formatNumber(d.medianRatio), 'DCR median ratio (synthetic / real)'));
  return (
    barsFigure(
      {
        id: 'privacy-dcr-reference',
        title: 'Distance to closest record: synthetic rows vs held-out real rows',
        description:
          'Gower distance from synthetic rows to their nearest sample row, and from held-out real rows to the rest of the sample',
      },
      [
        { label: '5th percentile', values: [d.synthetic.p05, d.holdout.p05] },
        { label: 'median', values: [d.synthetic.median, d.holdout.median] },
      ],
      {
        series: [
          { name: 'synthetic to sample', color: CHART_COLORS.synthetic },
          { name: 'real to rest of sample', color: CHART_COLORS.real },
        ],
        format: formatNumber,
      },
    ) +
    dataTable(
      ['rows', 'compared', 'median', '5th percentile', 'at distance 0'],
      [
        [
          'synthetic',
          String(d.syntheticRows),
          formatNumber(d.synthetic.median),
          formatNumber(d.synthetic.p05),
          formatPercent(d.synthetic.zeroShare),
        ],
        [
          'held-out real',
          String(d.holdoutRows),
          formatNumber(d.holdout.median),
          formatNumber(d.holdout.p05),
          formatPercent(d.holdout.zeroShare),
        ],
      ],
      `Median ratio ${formatNumber(d.medianRatio)} over ${d.columns ?? '—'} columns: below 1, synthetic rows sit nearer to real rows than real rows do to each other.`,
    )
  );
}

function leakScanBlock(scan: NonNullable<PrivacyData['leakScan']>, cards: string[]): string {
  const total = scan.leaks ?? scan.findings.reduce((n, f) => n + (f.matches ?? 0), 0);
  if (scan.leaks !== undefined) cards.push(kpi(String(scan.leaks), 'sensitive-value leaks'));
  const scanned = scan.rowsScanned === undefined ? '' : ` in ${scan.rowsScanned ?? '—'} synthetic rows`;
  const locations = scan.locations ?? [];
  return (
    `<h3>Sensitive-value leak scan</h3><p><span class="badge ${total ? 'fail' : 'pass'}">${total ? 'leaks found' : 'no leaks'}</span> ` +
    `${scan.checkedValues ?? '—'} synthetic values checked${scanned} against the sensitive values of the sample ` +
    `(keyed hashes; whole cells and text inside cells).</p>` +
    (scan.findings.length
      ? dataTable(
          ['column', 'matching values'],
          scan.findings.map((f) => [f.column, String(f.matches ?? '—')]),
        )
      : '') +
    (locations.length
      ? dataTable(
          ['output column', 'synthetic row', 'value of sensitive sample column'],
          locations.map((l) => [l.column, String(l.row ?? '—'), l.sensitiveColumn]),
          locations.length < total
            ? `The first ${locations.length} of ${total} leaks.`
            : 'Where the leaks are (values are never shown).',
        )
      : '')
  );
}

function sensitivitySection(data: ReportData): string {
  const s = data.sensitivity;
  const report = s
    ? `<p class="meta">A column is sensitive when its confidence is above ${formatNumber(s.threshold)}, unless a reviewer decided otherwise.</p>` +
      dataTable(
        ['column', 'kind', 'confidence', 'sensitive', 'evidence', 'reviewer override'],
        s.fields.map((f) => [
          f.column,
          f.kind,
          formatNumber(f.confidence),
          f.sensitive ? 'yes' : 'no',
          f.reasons.join('; '),
          f.override
            ? `${f.override.sensitive ? 'sensitive' : 'not sensitive'}${f.override.kind ? ` (${f.override.kind})` : ''} by ${f.override.by} at ${f.override.at}${f.override.comment ? `: ${f.override.comment}` : ''}`
            : '',
        ]),
      )
    : '<p>No sensitivity report was attached.</p>';
  const approvals = data.approvals.length
    ? dataTable(
        ['gate', 'decision', 'approver', 'at', 'comment'],
        data.approvals.map((a) => [a.gate, a.decision, a.approver, a.at, a.comment ?? '']),
      )
    : '<p>No approvals recorded.</p>';
  return section(
    'sensitivity',
    'Sensitivity report and approvals',
    `${report}<h3>Approvals</h3>${approvals}`,
  );
}

function edgeCasesSection(data: ReportData): string {
  if (data.edgeCases.length === 0)
    return section('edge-cases', 'Edge cases', '<p>No edge-case rules in this run.</p>');
  const label = (e: ReportData['edgeCases'][number]) => (e.column ? `${e.rule} · ${e.column}` : e.rule);
  const chart = barsFigure(
    {
      id: 'edge-cases-chart',
      title: 'Edge cases: requested vs injected share of rows',
      description: 'Per rule, the requested share of rows and the share that was injected',
    },
    data.edgeCases.map((e) => ({ label: label(e), values: [e.requestedFrequency, e.injectedFrequency] })),
    {
      series: [
        { name: 'requested', color: '#9d755d' },
        { name: 'injected', color: CHART_COLORS.synthetic },
      ],
      format: (v) => (v === null ? '—' : `${formatNumber(v * 100)}%`),
      labelChars: 24,
    },
  );
  const table = dataTable(
    ['rule', 'column', 'requested', 'injected rows', 'injected share'],
    data.edgeCases.map((e) => [
      e.rule,
      e.column ?? '',
      e.requestedFrequency === null ? '—' : `${formatNumber(e.requestedFrequency * 100)}%`,
      String(e.injectedRows ?? '—'),
      e.injectedFrequency === null ? '—' : `${formatNumber(e.injectedFrequency * 100)}%`,
    ]),
  );
  return section('edge-cases', 'Edge cases', table + chart);
}

/** Renders report numbers (from {@link buildReportJson}) as the self-contained HTML page. */
export function renderReportData(data: ReportData): string {
  const r = data.rows;
  const nav = [
    ['scores', 'Scores'],
    ['columns', 'Columns'],
    ['correlations', 'Correlations'],
    ['privacy', 'Privacy'],
    ['sensitivity', 'Sensitivity & approvals'],
    ['edge-cases', 'Edge cases'],
  ]
    .map(([id, name]) => `<li><a href="#${id}">${name}</a></li>`)
    .join('');
  const generated = data.generatedAt ? ` · generated ${escapeHtml(data.generatedAt)}` : '';
  const sampled =
    r.sampledReal < r.real || r.sampledSynthetic < r.synthetic
      ? ` Charts are drawn from ${r.sampledReal} real and ${r.sampledSynthetic} synthetic rows taken evenly.`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(data.title)} — quality and privacy report</title>
<style>${REPORT_CSS}</style></head><body><main>
<header><h1>${escapeHtml(data.title)}</h1>
<p class="meta">Quality and privacy report${generated} · ${r.real} real rows, ${r.synthetic} synthetic rows.${sampled}</p>
<nav aria-label="Sections"><ul>${nav}</ul></nav></header>
${scoresSection(data)}
${section('columns', 'Columns', `<p class="meta">Real in blue, synthetic in orange. Rare categories (and values of sensitive columns) never appear: they are folded into “other” or shown as lengths.</p><div class="grid">${data.columns.map(columnCard).join('')}</div>`)}
${correlationsSection(data)}
${privacySection(data)}
${sensitivitySection(data)}
${edgeCasesSection(data)}
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
</body></html>
`;
}
