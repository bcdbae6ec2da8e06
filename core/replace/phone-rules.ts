/**
 * Phone-number validity and formatting per region from libphonenumber's own metadata, with every
 * pattern compiled once. libphonenumber-js compiles each metadata pattern into a new RegExp on
 * every check and every format (`new PhoneNumber(…).isValid()` costs tens of microseconds), which
 * made validated phone fakes the slowest replacement; the same rules with compiled patterns cost
 * a few microseconds.
 *
 * The rule reproduced is the library's: a national number is valid for a region when it matches
 * the region's national number pattern and the pattern (and possible lengths) of one of its number
 * types; and, where several regions share a calling code (+1, +44, +7…), the number must belong to
 * that region the way the library assigns it — the first region in the calling code's list whose
 * leading digits match, or (regions without leading digits) whose rules accept it. So
 * `parsePhoneNumber('+' + callingCode + national)` gives that region and `isValid()`. Formatting
 * follows the library's too: the first of the region's formats whose last leading-digits pattern
 * and whole pattern match, with the national-prefix rule (national) or the international format
 * and separator style. Unit tests compare both with the library on numbers of every region.
 */
import { getCountryCallingCode, Metadata, type CountryCode } from 'libphonenumber-js/max';

/** The metadata methods used here (present at runtime, not all in the library's type declarations). */
interface RuntimeType {
  pattern(): string | 0 | undefined;
  possibleLengths(): number[] | 0 | undefined;
}
interface RuntimeFormat {
  pattern(): string;
  format(): string;
  leadingDigitsPatterns(): string[];
  nationalPrefixFormattingRule(): string | 0 | undefined;
  internationalFormat(): string;
}
interface RuntimePlan {
  formats(): RuntimeFormat[];
  nationalNumberPattern(): string;
  /** Compressed metadata says "none" with 0 or undefined. */
  leadingDigits(): string | 0 | undefined;
  hasTypes(): boolean;
  type(name: string): RuntimeType | undefined;
}
interface RuntimeMetadata {
  selectNumberingPlan(country: string): void;
  numberingPlan: RuntimePlan;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
}

/** The number types libphonenumber checks for validity (fixed line first, as it does). */
const NUMBER_TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

/** One number format, compiled: when it applies, and the replacement strings it formats with. */
interface CompiledFormat {
  leading: RegExp | null;
  whole: RegExp;
  groups: RegExp;
  national: string;
  international: string;
}

interface RegionRules {
  region: string;
  callingCode: string;
  formats: CompiledFormat[];
  general: RegExp;
  /** Null when the metadata has no number types (then the general pattern decides). */
  types: { pattern: RegExp; lengths: ReadonlySet<number> | null }[] | null;
  leadingDigits: RegExp | null;
}

let metadata: RuntimeMetadata | undefined;
const rulesByRegion = new Map<string, RegionRules>();

function runtimeMetadata(): RuntimeMetadata {
  metadata ??= new Metadata() as unknown as RuntimeMetadata;
  return metadata;
}

function rulesOf(region: string): RegionRules {
  let rules = rulesByRegion.get(region);
  if (rules !== undefined) return rules;
  const m = runtimeMetadata();
  m.selectNumberingPlan(region);
  const plan = m.numberingPlan;
  const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
  let types: RegionRules['types'] = null;
  if (plan.hasTypes()) {
    types = [];
    for (const name of NUMBER_TYPES) {
      const t = plan.type(name);
      const pattern = t?.pattern();
      // The library skips types without a pattern (absent, or 0 / '' in compressed metadata).
      if (t === undefined || !pattern) continue;
      const lengths = t.possibleLengths();
      types.push({ pattern: whole(pattern), lengths: lengths ? new Set(lengths) : null });
    }
  }
  const leading = plan.leadingDigits();
  const formats = plan.formats().map((f): CompiledFormat => {
    const patterns = f.leadingDigitsPatterns();
    const last = patterns[patterns.length - 1];
    const rule = f.nationalPrefixFormattingRule();
    return {
      leading: last === undefined ? null : new RegExp(`^(?:${last})`),
      whole: whole(f.pattern()),
      groups: new RegExp(f.pattern()),
      national: rule ? f.format().replace(FIRST_GROUP, rule) : f.format(),
      international: f.internationalFormat(),
    };
  });
  rules = {
    region,
    callingCode: getCountryCallingCode(region as CountryCode),
    formats,
    general: whole(plan.nationalNumberPattern()),
    types,
    leadingDigits: leading ? new RegExp(`^(?:${leading})`) : null,
  };
  rulesByRegion.set(region, rules);
  return rules;
}

/** The national-prefix rule replaces the first group reference of a format (`$1` → `0$1`), as the library does. */
const FIRST_GROUP = /(\$\d)/;
/** libphonenumber's punctuation set (dashes, slashes, dots, spaces, brackets, tildes), runs of which become one space internationally. */
const PUNCTUATION_RUNS =
  /[-\u2010-\u2015\u2212\u30FC\uFF0D\uFF0F/\uFF0E. \xA0\xAD\u200B\u2060\u3000()\uFF08\uFF09\uFF3B\uFF3D[\]~\u2053\u223C\uFF5E]+/g;

/**
 * A national significant number of `region` written as libphonenumber writes it: national format
 * (`(415) 555-2671`, `030 1234567`) or international (`+1 415 555 2671`).
 */
export function formatNationalFor(region: CountryCode, national: string, international: boolean): string {
  const rules = rulesOf(region);
  let format: CompiledFormat | undefined;
  for (const f of rules.formats) {
    if ((f.leading === null || f.leading.test(national)) && f.whole.test(national)) {
      format = f;
      break;
    }
  }
  if (!international)
    return format === undefined ? national : national.replace(format.groups, format.national);
  const body =
    format === undefined
      ? national
      : national.replace(format.groups, format.international).replace(PUNCTUATION_RUNS, ' ').trim();
  return `+${rules.callingCode} ${body}`;
}

/** The region's own rules (general pattern and number types), without asking which region the number belongs to. */
function matchesRules(rules: RegionRules, national: string): boolean {
  if (!rules.general.test(national)) return false;
  if (rules.types === null) return true;
  for (const t of rules.types) {
    if ((t.lengths === null || t.lengths.has(national.length)) && t.pattern.test(national)) return true;
  }
  return false;
}

const regionsByCallingCode = new Map<string, readonly RegionRules[]>();

function regionsSharing(callingCode: string): readonly RegionRules[] {
  let list = regionsByCallingCode.get(callingCode);
  if (list === undefined) {
    list = (runtimeMetadata().getCountryCodesForCallingCode(callingCode) ?? []).map(rulesOf);
    regionsByCallingCode.set(callingCode, list);
  }
  return list;
}

/** The region libphonenumber assigns `+callingCode national` to, or undefined. */
export function regionOfNational(callingCode: string, national: string): string | undefined {
  const regions = regionsSharing(callingCode);
  if (regions.length === 1) return regions[0]?.region;
  for (const r of regions) {
    if (r.leadingDigits !== null) {
      if (r.leadingDigits.test(national)) return r.region;
    } else if (matchesRules(r, national)) return r.region;
  }
  return undefined;
}

/**
 * Whether a national significant number is a valid number of `region` and, read with the region's
 * calling code, belongs to that region (what `parsePhoneNumber('+…').country` and `isValid()` say).
 */
export function isValidNationalFor(region: CountryCode, national: string): boolean {
  const rules = rulesOf(region);
  if (!matchesRules(rules, national)) return false;
  return regionOfNational(rules.callingCode, national) === region;
}
