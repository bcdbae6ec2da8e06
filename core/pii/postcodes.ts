/**
 * Postcodes per locale. Five-digit shapes (US, DE, FR, ES, IT) prove little alone, since any
 * five-digit quantity fits, so the classifier uses them only beside a postcode column name; the
 * UK, Canadian and Dutch shapes mix letters and digits distinctively enough to count on their own.
 */

/** Locales whose postcode shapes {@link postcodeLocales} knows. */
export const PostcodeLocale = {
  Us: 'US',
  Gb: 'GB',
  De: 'DE',
  Fr: 'FR',
  Es: 'ES',
  It: 'IT',
  Nl: 'NL',
  Ca: 'CA',
} as const;
/** One of {@link PostcodeLocale}. */
export type PostcodeLocale = (typeof PostcodeLocale)[keyof typeof PostcodeLocale];

const SHAPES: readonly (readonly [PostcodeLocale, RegExp])[] = [
  [PostcodeLocale.Us, /^\d{5}(?:-\d{4})?$/],
  // The outward/inward shape without Royal Mail's letter exclusions, which test data often ignores.
  [PostcodeLocale.Gb, /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i],
  [PostcodeLocale.De, /^(?:0[1-9]|[1-9]\d)\d{3}$/],
  [PostcodeLocale.Fr, /^(?:0[1-9]|[1-8]\d|9[0-5]|97)\d{3}$/],
  [PostcodeLocale.Es, /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/],
  [PostcodeLocale.It, /^\d{5}$/],
  [PostcodeLocale.Nl, /^[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}$/i],
  [PostcodeLocale.Ca, /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i],
];

/** Locales whose postcode shape a value fits (empty when none). */
export function postcodeLocales(value: string): PostcodeLocale[] {
  const out: PostcodeLocale[] = [];
  for (const [locale, shape] of SHAPES) if (shape.test(value)) out.push(locale);
  return out;
}

/** A UK, Canadian or Dutch postcode: shapes distinctive enough to count without a column name. */
export function isDistinctivePostcode(value: string): boolean {
  for (const [locale, shape] of SHAPES) {
    if ((locale === 'GB' || locale === 'CA' || locale === 'NL') && shape.test(value)) return true;
  }
  return false;
}
