/**
 * The demo app's HTML: plain server-rendered pages with inline styles and no external assets, so
 * they render the same offline, in headless Chromium and in any browser.
 */
import { readFlag, type CustomerRow } from './customer-store.js';

/** Badge text per segment. */
const SEGMENT_BADGES: Record<string, string> = {
  enterprise: 'Enterprise',
  consumer: 'Consumer',
  // DELIBERATE BUG 1 (see README.md): copied from the line above it and never corrected, so
  // small-business customers wear the "Enterprise" badge.
  small_business: 'Enterprise',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The badge a segment gets; unknown segments show their own name, words capitalised. */
export function segmentBadge(segment: unknown): string {
  const key = String(segment ?? '');
  return (
    SEGMENT_BADGES[key] ??
    key
      .split(/[_\s]+/)
      .filter((w) => w.length > 0)
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join(' ')
  );
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; color: #1f2933; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #d9e2ec; margin-bottom: 1.5rem; }
header a { color: #334e68; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input { padding: .4rem; width: 20rem; }
button { padding: .4rem 1rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
td, th { border-bottom: 1px solid #d9e2ec; padding: .4rem; text-align: left; }
.badge { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; background: #e0e8f9; font-size: .9rem; }
.active { color: #0e7c3a; } .inactive { color: #a61b1b; }
dl { display: grid; grid-template-columns: 10rem 1fr; gap: .4rem; }
dt { font-weight: 600; }
`;

// The header link must not contain "Search": scenarios click the "Search" button by its name, and a
// link named "Search customers" would be an equally good match for it.
function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · Demo CRM</title><style>${STYLE}</style></head>
<body>
<header><strong>Demo CRM</strong><a href="/">Find customers</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}

function fullName(c: CustomerRow): string {
  return [c.first_name, c.last_name].filter((p) => p !== null && p !== undefined && p !== '').join(' ');
}

/** The search page, with results when an e-mail was searched for. */
export function renderSearchPage(email: string | undefined, results: CustomerRow[] | undefined): string {
  const form = `<h1>Find a customer</h1>
<form method="get" action="/" role="search">
  <label for="email">Email</label>
  <input id="email" name="email" type="text" placeholder="name@example.com" value="${escapeHtml(email ?? '')}">
  <button type="submit">Search</button>
</form>`;
  if (results === undefined) return layout('Search', form);
  const rows = results
    .map(
      (c) => `<tr>
  <td><a href="/customers/${encodeURIComponent(String(c.customer_id))}">${escapeHtml(fullName(c))}</a></td>
  <td>${escapeHtml(c.email)}</td>
  <td>${escapeHtml(c.city)}</td>
  <td><span class="badge">${escapeHtml(segmentBadge(c.segment))}</span></td>
</tr>`,
    )
    .join('\n');
  const summary =
    results.length === 0
      ? '<p id="result-count">No customers found.</p>'
      : `<p id="result-count">${results.length} customer${results.length === 1 ? '' : 's'} found.</p>
<table id="results"><thead><tr><th>Name</th><th>Email</th><th>City</th><th>Segment</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return layout('Search', `${form}\n<section aria-label="Results">\n${summary}\n</section>`);
}

/** A customer's page: name, segment badge, city, credit score and status. */
export function renderCustomerPage(c: CustomerRow): string {
  const active = readFlag(c.is_active);
  const status =
    active === null
      ? '<span id="status">Unknown</span>'
      : `<span id="status" class="${active ? 'active' : 'inactive'}">${active ? 'Active' : 'Inactive'}</span>`;
  return layout(
    fullName(c),
    `<h1 id="customer-name">${escapeHtml(fullName(c))}</h1>
<p><span class="badge" id="segment-badge">${escapeHtml(segmentBadge(c.segment))}</span></p>
<dl>
  <dt>Customer ID</dt><dd id="customer-id">${escapeHtml(c.customer_id)}</dd>
  <dt>Email</dt><dd id="email">${escapeHtml(c.email)}</dd>
  <dt>City</dt><dd id="city">${escapeHtml(c.city)}</dd>
  <dt>Credit score</dt><dd id="credit-score">${escapeHtml(c.credit_score)}</dd>
  <dt>Status</dt><dd>${status}</dd>
</dl>`,
  );
}

/** A page for errors (unknown customer, no data loaded yet). */
export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
