/** The report's inline stylesheet: system fonts only, a responsive grid, and print rules. */
export const REPORT_CSS = `
:root{--fg:#222;--muted:#666;--line:#ddd;--bg:#fff;--panel:#f7f7f8;--good:#2e8b57;--fair:#b8860b;--poor:#c0392b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:1.2em 1.2em 3em}
header{border-bottom:2px solid var(--line);margin-bottom:1em}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.02em;margin:0 0 .3em;overflow-wrap:anywhere}
.meta{color:var(--muted);margin:.2em 0 .8em}
nav ul{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}
nav a{color:#1f5fa8}
.cards{display:flex;flex-wrap:wrap;gap:.8em}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.5em .7em;text-align:center;min-width:150px}
.card-name{font-size:.9em;color:var(--muted)}
.kpi{font-size:1.5em;font-weight:600;display:block}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:1em;align-items:start}
.column{border:1px solid var(--line);border-radius:8px;padding:.7em .9em;break-inside:avoid;page-break-inside:avoid}
.charts{display:flex;flex-wrap:wrap;gap:.6em;align-items:flex-start}
figure.chart{margin:.3em 0;max-width:100%}
figure.chart figcaption{font-size:.85em;color:var(--muted)}
.chart-svg{max-width:100%;height:auto;display:block}
details{margin:.2em 0}summary{cursor:pointer;color:#1f5fa8;font-size:.85em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
caption{text-align:left;color:var(--muted);font-size:.9em}
.badge{display:inline-block;border-radius:4px;padding:0 .45em;font-weight:600;font-size:.85em;color:#fff}
.pass{background:var(--good)}.fail{background:var(--poor)}.note{background:#777}
.hidden-note{color:var(--muted);font-size:.85em;font-style:italic}
.heatmaps{display:flex;flex-wrap:wrap;gap:1em}
@media print{
  body{font-size:11px}main{max-width:none;padding:0}
  nav,summary{display:none}
  .grid{display:block}.column{margin-bottom:.8em}
  h2{break-after:avoid;page-break-after:avoid}
  figure.chart,.card,table{break-inside:avoid;page-break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;
