/** Pulling the JSON out of a model's answer, which may wrap it in a code fence or a sentence. */

/** The JSON value in `text` (a fenced block, or the outermost `open`…`close` span), or undefined. */
export function extractJson(text: string, open: '{' | '[' = '{'): unknown {
  const close = open === '{' ? '}' : ']';
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidates = [fenced?.[1], text];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const start = candidate.indexOf(open);
    const end = candidate.lastIndexOf(close);
    if (start < 0 || end <= start) continue;
    try {
      return JSON.parse(candidate.slice(start, end + 1)) as unknown;
    } catch {
      // Not JSON here; the next candidate may be.
    }
  }
  return undefined;
}
