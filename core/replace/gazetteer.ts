/**
 * A small committed gazetteer: real cities with the state (region, canton, Land) and postcode
 * ranges they belong to, per country. Faker's location data cannot give coherence because its
 * city, state and postcode lists are independent (only en_US links states to ZIP ranges, and not
 * to cities), so a city drawn there rarely matches the postcode drawn beside it. Place names and
 * postcode ranges are public geography, not personal data; the postcode inside a range is drawn
 * at random, so it belongs to the city's area without pointing at anyone.
 *
 * Postcode templates: `#` a digit, `?` an upper-case letter used in postcodes, `{a-b}` a number
 * in that range padded to the width of `a`; everything else literal.
 */

/** One city with its state and the postcode templates of its area. */
export interface Place {
  city: string;
  state: string;
  /** Official abbreviation of the state where one is in use (US states, Swiss cantons, …). */
  stateAbbr: string;
  postcodes: readonly string[];
}

/** A country of the gazetteer. */
export interface Country {
  /** ISO 3166-1 alpha-2. */
  code: string;
  /** English name. */
  name: string;
  /** Name in the country's main language (the locale's language decides which is used). */
  localName: string;
  /** Whether the house number comes before the street name (`12 Main Street` vs `Hauptstraße 12`). */
  houseNumberFirst: boolean;
  places: readonly Place[];
}

const p = (city: string, state: string, stateAbbr: string, ...postcodes: string[]): Place => ({
  city,
  state,
  stateAbbr,
  postcodes,
});

/** Countries by ISO code. */
export const GAZETTEER: Readonly<Record<string, Country>> = {
  US: {
    code: 'US',
    name: 'United States',
    localName: 'United States',
    houseNumberFirst: true,
    places: [
      p('New York', 'New York', 'NY', '{10001-10282}'),
      p('Los Angeles', 'California', 'CA', '{90001-90089}'),
      p('Chicago', 'Illinois', 'IL', '{60601-60661}'),
      p('Houston', 'Texas', 'TX', '{77001-77099}'),
      p('Phoenix', 'Arizona', 'AZ', '{85001-85054}'),
      p('Philadelphia', 'Pennsylvania', 'PA', '{19102-19154}'),
      p('San Antonio', 'Texas', 'TX', '{78201-78266}'),
      p('San Diego', 'California', 'CA', '{92101-92199}'),
      p('Dallas', 'Texas', 'TX', '{75201-75398}'),
      p('Austin', 'Texas', 'TX', '{78701-78759}'),
      p('Seattle', 'Washington', 'WA', '{98101-98199}'),
      p('Denver', 'Colorado', 'CO', '{80201-80299}'),
      p('Boston', 'Massachusetts', 'MA', '{02108-02137}'),
      p('Miami', 'Florida', 'FL', '{33101-33199}'),
      p('Atlanta', 'Georgia', 'GA', '{30301-30399}'),
      p('Portland', 'Oregon', 'OR', '{97201-97299}'),
      p('Minneapolis', 'Minnesota', 'MN', '{55401-55488}'),
      p('Detroit', 'Michigan', 'MI', '{48201-48288}'),
      p('Nashville', 'Tennessee', 'TN', '{37201-37250}'),
      p('Columbus', 'Ohio', 'OH', '{43201-43299}'),
    ],
  },
  DE: {
    code: 'DE',
    name: 'Germany',
    localName: 'Deutschland',
    houseNumberFirst: false,
    places: [
      p('Berlin', 'Berlin', 'BE', '{10115-14199}'),
      p('Hamburg', 'Hamburg', 'HH', '{20095-22769}'),
      p('München', 'Bayern', 'BY', '{80331-81929}'),
      p('Köln', 'Nordrhein-Westfalen', 'NW', '{50667-51149}'),
      p('Frankfurt am Main', 'Hessen', 'HE', '{60306-60599}'),
      p('Stuttgart', 'Baden-Württemberg', 'BW', '{70173-70629}'),
      p('Düsseldorf', 'Nordrhein-Westfalen', 'NW', '{40210-40629}'),
      p('Leipzig', 'Sachsen', 'SN', '{04103-04357}'),
      p('Dresden', 'Sachsen', 'SN', '{01067-01328}'),
      p('Hannover', 'Niedersachsen', 'NI', '{30159-30669}'),
      p('Nürnberg', 'Bayern', 'BY', '{90402-90491}'),
      p('Bremen', 'Bremen', 'HB', '{28195-28779}'),
      p('Essen', 'Nordrhein-Westfalen', 'NW', '{45127-45359}'),
      p('Dortmund', 'Nordrhein-Westfalen', 'NW', '{44135-44388}'),
    ],
  },
  AT: {
    code: 'AT',
    name: 'Austria',
    localName: 'Österreich',
    houseNumberFirst: false,
    places: [
      p('Wien', 'Wien', 'W', '1{01-23}0'),
      p('Graz', 'Steiermark', 'ST', '80{10-63}'),
      p('Linz', 'Oberösterreich', 'OÖ', '40{20-40}'),
      p('Salzburg', 'Salzburg', 'S', '50{20-26}'),
      p('Innsbruck', 'Tirol', 'T', '60{20-26}'),
      p('Klagenfurt', 'Kärnten', 'K', '90{20-73}'),
    ],
  },
  CH: {
    code: 'CH',
    name: 'Switzerland',
    localName: 'Schweiz',
    houseNumberFirst: false,
    places: [
      p('Zürich', 'Zürich', 'ZH', '80{01-57}'),
      p('Genève', 'Genève', 'GE', '12{01-19}'),
      p('Basel', 'Basel-Stadt', 'BS', '40{01-59}'),
      p('Bern', 'Bern', 'BE', '30{01-30}'),
      p('Lausanne', 'Vaud', 'VD', '10{00-18}'),
      p('Luzern', 'Luzern', 'LU', '60{00-15}'),
    ],
  },
  FR: {
    code: 'FR',
    name: 'France',
    localName: 'France',
    houseNumberFirst: true,
    places: [
      p('Paris', 'Île-de-France', 'IDF', '{75001-75020}'),
      p('Marseille', "Provence-Alpes-Côte d'Azur", 'PAC', '{13001-13016}'),
      p('Lyon', 'Auvergne-Rhône-Alpes', 'ARA', '{69001-69009}'),
      p('Toulouse', 'Occitanie', 'OCC', '{31000-31500}'),
      p('Nice', "Provence-Alpes-Côte d'Azur", 'PAC', '{06000-06300}'),
      p('Nantes', 'Pays de la Loire', 'PDL', '{44000-44300}'),
      p('Strasbourg', 'Grand Est', 'GES', '{67000-67200}'),
      p('Bordeaux', 'Nouvelle-Aquitaine', 'NAQ', '{33000-33800}'),
      p('Lille', 'Hauts-de-France', 'HDF', '{59000-59800}'),
    ],
  },
  GB: {
    code: 'GB',
    name: 'United Kingdom',
    localName: 'United Kingdom',
    houseNumberFirst: true,
    places: [
      p('London', 'England', 'ENG', 'SW{1-9} #??', 'EC{1-4}A #??', 'N{1-9} #??', 'E{1-9} #??', 'SE{1-9} #??'),
      p('Manchester', 'England', 'ENG', 'M{1-9} #??'),
      p('Birmingham', 'England', 'ENG', 'B{1-9} #??'),
      p('Leeds', 'England', 'ENG', 'LS{1-9} #??'),
      p('Bristol', 'England', 'ENG', 'BS{1-9} #??'),
      p('Liverpool', 'England', 'ENG', 'L{1-9} #??'),
      p('Glasgow', 'Scotland', 'SCT', 'G{1-9} #??'),
      p('Edinburgh', 'Scotland', 'SCT', 'EH{1-9} #??'),
      p('Cardiff', 'Wales', 'WLS', 'CF{10-24} #??'),
      p('Belfast', 'Northern Ireland', 'NIR', 'BT{1-9} #??'),
    ],
  },
  ES: {
    code: 'ES',
    name: 'Spain',
    localName: 'España',
    houseNumberFirst: false,
    places: [
      p('Madrid', 'Comunidad de Madrid', 'MD', '{28001-28055}'),
      p('Barcelona', 'Cataluña', 'CT', '{08001-08042}'),
      p('Valencia', 'Comunidad Valenciana', 'VC', '{46001-46026}'),
      p('Sevilla', 'Andalucía', 'AN', '{41001-41020}'),
      p('Zaragoza', 'Aragón', 'AR', '{50001-50021}'),
      p('Málaga', 'Andalucía', 'AN', '{29001-29018}'),
      p('Bilbao', 'País Vasco', 'PV', '{48001-48015}'),
    ],
  },
  IT: {
    code: 'IT',
    name: 'Italy',
    localName: 'Italia',
    houseNumberFirst: false,
    places: [
      p('Roma', 'Lazio', 'LAZ', '{00118-00199}'),
      p('Milano', 'Lombardia', 'LOM', '{20121-20162}'),
      p('Napoli', 'Campania', 'CAM', '{80121-80147}'),
      p('Torino', 'Piemonte', 'PIE', '{10121-10156}'),
      p('Palermo', 'Sicilia', 'SIC', '{90121-90151}'),
      p('Bologna', 'Emilia-Romagna', 'EMR', '{40121-40141}'),
      p('Firenze', 'Toscana', 'TOS', '{50121-50145}'),
      p('Genova', 'Liguria', 'LIG', '{16121-16167}'),
      p('Venezia', 'Veneto', 'VEN', '{30121-30176}'),
    ],
  },
  NL: {
    code: 'NL',
    name: 'Netherlands',
    localName: 'Nederland',
    houseNumberFirst: false,
    places: [
      p('Amsterdam', 'Noord-Holland', 'NH', '{1011-1109} ??'),
      p('Rotterdam', 'Zuid-Holland', 'ZH', '{3011-3089} ??'),
      p('Den Haag', 'Zuid-Holland', 'ZH', '{2491-2597} ??'),
      p('Utrecht', 'Utrecht', 'UT', '{3511-3585} ??'),
      p('Eindhoven', 'Noord-Brabant', 'NB', '{5611-5658} ??'),
      p('Groningen', 'Groningen', 'GR', '{9711-9747} ??'),
    ],
  },
};

/** Country of a faker locale key: its region when it has one (`de_AT` → AT), else the language's main country. */
export function countryOfLocale(localeKey: string): Country {
  const [language = '', region] = localeKey.split('_');
  if (region !== undefined && GAZETTEER[region] !== undefined) return GAZETTEER[region];
  const byLanguage: Record<string, string> = { de: 'DE', fr: 'FR', es: 'ES', it: 'IT', nl: 'NL', en: 'US' };
  return GAZETTEER[byLanguage[language] ?? 'US'] as Country;
}

/** Letters used in UK-style inward codes (C, I, K, M, O and V never appear there). */
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Expands a postcode template with random draws from `nextInt` (uniform in [0, n)). */
export function expandPostcode(template: string, nextInt: (n: number) => number): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === '#') out += String(nextInt(10));
    else if (c === '?') out += POSTCODE_LETTERS[nextInt(POSTCODE_LETTERS.length)];
    else if (c === '{') {
      const close = template.indexOf('}', i);
      const [lo = '0', hi = '0'] = template.slice(i + 1, close).split('-');
      const min = Number(lo);
      out += String(min + nextInt(Number(hi) - min + 1)).padStart(lo.length, '0');
      i = close;
    } else out += c;
  }
  return out;
}
