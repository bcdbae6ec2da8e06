/**
 * The column-name classifier: what the name alone says. A name that announces a kind whose
 * values the validators can check scores 0.75 (the values will confirm or refute it); one whose
 * values cannot be checked (names, cities, birth dates, national ids without a validator here)
 * scores 0.8; a prose name 0.4 (a `description` may be a label list); a key name 0.2 for kind
 * identifier, because a customer id is a key, not personal data by itself.
 */
import type { ColumnContext } from './column-context.js';
import { FREE_TEXT_RULE, KEY_RULE } from './name-rules.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from './types.js';

/** Kinds whose values a validator checks, so the name is only a first witness. */
export const VALIDATED_NAME_KINDS: ReadonlySet<PiiKind> = new Set([
  PiiKind.Email,
  PiiKind.Phone,
  PiiKind.CreditCard,
  PiiKind.Ssn,
  PiiKind.Iban,
  PiiKind.IpAddress,
  PiiKind.MacAddress,
  PiiKind.UkNino,
  PiiKind.UrlWithCredentials,
]);

const VALIDATED = 0.75;
const UNCHECKED = 0.8;
const PROSE_NAME = 0.4;
const KEY_NAME = 0.2;

/** The column-name classifier's contribution for one column. */
export function classifyByColumnName(ctx: ColumnContext): ClassifierContribution[] {
  const name = ctx.name;
  const from = ClassifierName.ColumnName;
  if (name === undefined) {
    return [{ classifier: from, kind: PiiKind.None, score: 0, reason: 'no column name rule matched' }];
  }
  const reason = `column name matches '${name.rule.label}'`;
  if (name.rule === KEY_RULE)
    return [{ classifier: from, kind: PiiKind.Identifier, score: KEY_NAME, reason }];
  if (name.rule === FREE_TEXT_RULE)
    return [{ classifier: from, kind: PiiKind.FreeText, score: PROSE_NAME, reason }];
  const score = VALIDATED_NAME_KINDS.has(name.rule.kind) ? VALIDATED : UNCHECKED;
  return [{ classifier: from, kind: name.rule.kind, score, reason }];
}
