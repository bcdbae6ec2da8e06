/**
 * Phone numbers, dates and hand-written gazetteers for the holdout corpus: numbers follow each
 * country's public numbering plan the way people type them, not faker's phone formats.
 */
import { padNumber, pickOne, randInt, randomDigits, type Rand } from './ids.js';

/** Regions the phone generator knows. */
export type PhoneRegion =
  'US' | 'GB' | 'DE' | 'FR' | 'ES' | 'IT' | 'NL' | 'PL' | 'SE' | 'BR' | 'IN' | 'BE' | 'AT';

const US_AREA = [
  '201',
  '212',
  '213',
  '305',
  '312',
  '404',
  '415',
  '503',
  '512',
  '617',
  '646',
  '702',
  '713',
  '808',
  '917',
  '206',
];

function usLocal(rand: Rand): [string, string] {
  let exch = String(randInt(rand, 2, 9)) + randomDigits(rand, 2);
  if (exch.endsWith('11') || exch === '555') exch = String(randInt(rand, 2, 9)) + '42';
  return [exch, randomDigits(rand, 4)];
}

/** A phone number valid in the region's numbering plan, in one of the ways people write it there. */
export function makePhone(
  rand: Rand,
  region: PhoneRegion,
  style: 'national' | 'international' | 'mixed',
): string {
  const intl = style === 'international' || (style === 'mixed' && rand() < 0.4);
  switch (region) {
    case 'US': {
      const a = pickOne(rand, US_AREA);
      const [e, n] = usLocal(rand);
      if (intl) return pickOne(rand, [`+1 ${a} ${e} ${n}`, `+1-${a}-${e}-${n}`, `+1${a}${e}${n}`]);
      return pickOne(rand, [`(${a}) ${e}-${n}`, `${a}-${e}-${n}`, `${a}.${e}.${n}`, `${a}${e}${n}`]);
    }
    case 'GB': {
      const mobile = rand() < 0.6;
      if (mobile) {
        const n = pickOne(rand, ['74', '75', '77', '78', '79']) + randomDigits(rand, 2);
        const rest = randomDigits(rand, 6);
        return intl ? `+44 7${n.slice(1)} ${rest}` : `07${n.slice(1)} ${rest}`;
      }
      const [code, len] = pickOne(rand, [
        ['20', 8],
        ['161', 7],
        ['121', 7],
        ['113', 7],
        ['131', 7],
      ] as const);
      const first = code === '20' ? pickOne(rand, ['3', '7', '8']) : pickOne(rand, ['2', '3', '4', '5']);
      const sub = first + randomDigits(rand, len - 1);
      const split =
        code === '20' ? `${sub.slice(0, 4)} ${sub.slice(4)}` : `${sub.slice(0, 3)} ${sub.slice(3)}`;
      return intl ? `+44 ${code} ${split}` : `0${code} ${split}`;
    }
    case 'DE': {
      if (rand() < 0.55) {
        const pre = pickOne(rand, [
          '151',
          '152',
          '157',
          '160',
          '162',
          '170',
          '171',
          '172',
          '173',
          '175',
          '176',
          '177',
          '178',
          '179',
        ]);
        const sub = randomDigits(rand, pre.startsWith('15') ? 8 : 7);
        return intl
          ? pickOne(rand, [`+49 ${pre} ${sub}`, `+49${pre}${sub}`, `0049 ${pre} ${sub}`])
          : pickOne(rand, [`0${pre} ${sub}`, `0${pre}-${sub}`, `0${pre}/${sub}`]);
      }
      const [code, len] = pickOne(rand, [
        ['30', 8],
        ['40', 8],
        ['89', 7],
        ['221', 7],
        ['69', 8],
        ['711', 7],
        ['341', 7],
      ] as const);
      const sub = String(randInt(rand, 2, 9)) + randomDigits(rand, len - 1);
      return intl
        ? `+49 ${code} ${sub}`
        : pickOne(rand, [`0${code} ${sub}`, `0${code}/${sub}`, `(0${code}) ${sub}`]);
    }
    case 'FR': {
      const lead = pickOne(rand, ['6', '7', '1', '4', '5']);
      const nsn =
        (lead === '7'
          ? '7' + String(randInt(rand, 3, 8))
          : lead === '6'
            ? '6' + String(randInt(rand, 0, 8))
            : lead + String(randInt(rand, 1, 8))) + randomDigits(rand, 7);
      const pairs = `${nsn.slice(1, 3)} ${nsn.slice(3, 5)} ${nsn.slice(5, 7)} ${nsn.slice(7)}`;
      return intl
        ? pickOne(rand, [`+33 ${nsn.charAt(0)} ${pairs}`, `+33${nsn}`])
        : pickOne(rand, [
            `0${nsn.charAt(0)} ${pairs}`,
            `0${nsn}`,
            `0${nsn.charAt(0)}.${pairs.replace(/ /g, '.')}`,
          ]);
    }
    case 'ES': {
      const mobile = rand() < 0.7;
      const n = mobile
        ? pickOne(rand, ['6', '7']) + String(randInt(rand, 0, 4)) + randomDigits(rand, 7)
        : pickOne(rand, ['91', '93', '95', '96']) + randomDigits(rand, 7);
      const spaced = mobile
        ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`
        : `${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`;
      return intl ? `+34 ${spaced}` : pickOne(rand, [spaced, n]);
    }
    case 'IT': {
      const mobile = rand() < 0.7;
      if (mobile) {
        const pre = pickOne(rand, [
          '320',
          '328',
          '333',
          '338',
          '339',
          '340',
          '345',
          '347',
          '348',
          '349',
          '366',
          '380',
          '392',
        ]);
        const sub = randomDigits(rand, 7);
        return intl
          ? `+39 ${pre} ${sub}`
          : pickOne(rand, [`${pre} ${sub}`, `${pre} ${sub.slice(0, 3)} ${sub.slice(3)}`, pre + sub]);
      }
      const pre = pickOne(rand, ['06', '02', '011', '055', '081']);
      const sub = randomDigits(rand, pre.length === 2 ? 8 : 7);
      return intl ? `+39 ${pre} ${sub}` : `${pre} ${sub}`;
    }
    case 'NL': {
      if (rand() < 0.6) {
        const sub = String(randInt(rand, 1, 5)) + randomDigits(rand, 7);
        return intl
          ? pickOne(rand, [`+31 6 ${sub}`, `+316${sub}`, `0031 6 ${sub}`])
          : pickOne(rand, [
              `06-${sub}`,
              `06 ${sub.slice(0, 2)} ${sub.slice(2, 4)} ${sub.slice(4, 6)} ${sub.slice(6)}`,
              `06${sub}`,
            ]);
      }
      const pre = pickOne(rand, ['20', '10', '30', '70', '40', '50']);
      const sub = String(randInt(rand, 2, 9)) + randomDigits(rand, 6);
      return intl ? `+31 ${pre} ${sub}` : `0${pre}-${sub}`;
    }
    case 'PL': {
      const n =
        pickOne(rand, ['50', '51', '53', '57', '60', '66', '69', '72', '78', '79', '88']) +
        randomDigits(rand, 7);
      const spaced = `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
      return intl
        ? `+48 ${spaced}`
        : pickOne(rand, [spaced, `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`]);
    }
    case 'SE': {
      const pre = pickOne(rand, ['70', '72', '73', '76', '79']);
      const d = randomDigits(rand, 7);
      const local = `${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
      return intl
        ? `+46 ${pre} ${local}`
        : pickOne(rand, [`0${pre}-${local}`, `0${pre} ${local}`, `0${pre}${d}`]);
    }
    case 'BR': {
      const ddd = pickOne(rand, ['11', '21', '31', '41', '51', '61', '71', '81', '85', '19']);
      const sub = '9' + String(randInt(rand, 6, 9)) + randomDigits(rand, 7);
      const fmt = `${sub.slice(0, 5)}-${sub.slice(5)}`;
      return intl ? `+55 ${ddd} ${fmt}` : `(${ddd}) ${fmt}`;
    }
    case 'IN': {
      const sub = pickOne(rand, ['98', '99', '97', '94', '88', '70', '80', '63']) + randomDigits(rand, 8);
      return intl ? `+91 ${sub.slice(0, 5)} ${sub.slice(5)}` : `0${sub.slice(0, 5)} ${sub.slice(5)}`;
    }
    case 'BE': {
      const sub = pickOne(rand, [
        '470',
        '471',
        '472',
        '475',
        '476',
        '477',
        '478',
        '479',
        '484',
        '485',
        '486',
        '487',
        '488',
        '489',
        '491',
        '492',
        '493',
        '494',
        '495',
        '496',
        '497',
        '498',
        '499',
      ]);
      const d = randomDigits(rand, 6);
      return intl
        ? `+32 ${sub} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`
        : `0${sub} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`;
    }
    case 'AT': {
      const pre = pickOne(rand, ['650', '660', '664', '676', '680', '699']);
      const sub = randomDigits(rand, 7);
      return intl ? `+43 ${pre} ${sub}` : `0${pre} ${sub}`;
    }
  }
}

/** A UTC date for someone aged between minAge and maxAge on 2025-01-01. */
export function makeBirthDate(rand: Rand, minAge: number, maxAge: number): Date {
  const ref = Date.UTC(2025, 0, 1);
  const days = randInt(rand, Math.round(minAge * 365.25), Math.round(maxAge * 365.25));
  return new Date(ref - days * 86_400_000);
}

/** A UTC date uniformly between two ISO dates. */
export function makeDateBetween(rand: Rand, fromIso: string, toIso: string): Date {
  const a = Date.parse(fromIso);
  const b = Date.parse(toIso);
  return new Date(a + Math.floor(rand() * ((b - a) / 86_400_000)) * 86_400_000);
}

/** Formats a date with a pattern of YYYY, YY, MM and DD tokens. */
export function formatDate(d: Date, pattern: string): string {
  return pattern
    .replace('YYYY', String(d.getUTCFullYear()))
    .replace('YY', padNumber(d.getUTCFullYear() % 100, 2))
    .replace('MM', padNumber(d.getUTCMonth() + 1, 2))
    .replace('DD', padNumber(d.getUTCDate(), 2));
}

/** Real municipalities per country, because production data names real places (faker's are invented). */
export const REAL_CITIES = {
  DE: [
    'Berlin',
    'Hamburg',
    'München',
    'Köln',
    'Frankfurt am Main',
    'Stuttgart',
    'Düsseldorf',
    'Leipzig',
    'Dortmund',
    'Essen',
    'Bremen',
    'Dresden',
    'Hannover',
    'Nürnberg',
    'Duisburg',
    'Bochum',
    'Wuppertal',
    'Bielefeld',
    'Bonn',
    'Münster',
    'Karlsruhe',
    'Mannheim',
    'Augsburg',
    'Wiesbaden',
    'Freiburg im Breisgau',
    'Lübeck',
    'Rostock',
    'Kassel',
    'Halle (Saale)',
    'Erfurt',
    'Bad Homburg vor der Höhe',
    'Neustadt an der Weinstraße',
    'Garmisch-Partenkirchen',
    'Ludwigshafen am Rhein',
    'Siegen',
    'Paderborn',
    'Ulm',
    'Heilbronn',
    'Pforzheim',
    'Jena',
  ],
  FR: [
    'Paris',
    'Marseille',
    'Lyon',
    'Toulouse',
    'Nice',
    'Nantes',
    'Montpellier',
    'Strasbourg',
    'Bordeaux',
    'Lille',
    'Rennes',
    'Reims',
    'Saint-Étienne',
    'Le Havre',
    'Toulon',
    'Grenoble',
    'Dijon',
    'Angers',
    'Nîmes',
    'Villeurbanne',
    'Clermont-Ferrand',
    'Aix-en-Provence',
    'Brest',
    'Tours',
    'Amiens',
    'Limoges',
    'Annecy',
    'Perpignan',
    'Boulogne-Billancourt',
    'Saint-Denis',
    'Argenteuil',
    'Rouen',
    'Mulhouse',
    'Caen',
    'Nancy',
    'Roubaix',
    'Tourcoing',
    'Vitry-sur-Seine',
    'Créteil',
    'Pau',
  ],
  ES: [
    'Madrid',
    'Barcelona',
    'Valencia',
    'Sevilla',
    'Zaragoza',
    'Málaga',
    'Murcia',
    'Palma',
    'Las Palmas de Gran Canaria',
    'Bilbao',
    'Alicante',
    'Córdoba',
    'Valladolid',
    'Vigo',
    'Gijón',
    "L'Hospitalet de Llobregat",
    'Vitoria-Gasteiz',
    'A Coruña',
    'Granada',
    'Elche',
    'Oviedo',
    'Badalona',
    'Cartagena',
    'Terrassa',
    'Jerez de la Frontera',
    'Sabadell',
    'Móstoles',
    'Santa Cruz de Tenerife',
    'Pamplona',
    'Almería',
    'San Sebastián',
    'Burgos',
    'Salamanca',
    'Logroño',
    'Huelva',
    'Badajoz',
    'Cádiz',
    'León',
    'Tarragona',
    'Lleida',
  ],
  IT: [
    'Roma',
    'Milano',
    'Napoli',
    'Torino',
    'Palermo',
    'Genova',
    'Bologna',
    'Firenze',
    'Bari',
    'Catania',
    'Venezia',
    'Verona',
    'Messina',
    'Padova',
    'Trieste',
    'Brescia',
    'Parma',
    'Taranto',
    'Prato',
    'Modena',
    'Reggio Calabria',
    "Reggio nell'Emilia",
    'Perugia',
    'Ravenna',
    'Livorno',
    'Cagliari',
    'Foggia',
    'Rimini',
    'Salerno',
    'Ferrara',
    'Sassari',
    'Latina',
    'Giugliano in Campania',
    'Monza',
    'Siracusa',
    'Pescara',
    'Bergamo',
    'Trento',
    'Vicenza',
    'Bolzano',
  ],
  NL: [
    'Amsterdam',
    'Rotterdam',
    'Den Haag',
    "'s-Gravenhage",
    'Utrecht',
    'Eindhoven',
    'Groningen',
    'Tilburg',
    'Almere',
    'Breda',
    'Nijmegen',
    'Apeldoorn',
    'Haarlem',
    'Arnhem',
    'Enschede',
    'Amersfoort',
    'Zaanstad',
    "'s-Hertogenbosch",
    'Haarlemmermeer',
    'Zwolle',
    'Zoetermeer',
    'Leiden',
    'Maastricht',
    'Dordrecht',
    'Ede',
    'Alphen aan den Rijn',
    'Leeuwarden',
    'Alkmaar',
    'Emmen',
    'Delft',
    'Venlo',
    'Deventer',
    'Sittard-Geleen',
    'Helmond',
    'Oss',
    'Amstelveen',
    'Hilversum',
    'Heerlen',
    'Purmerend',
    'Roosendaal',
  ],
  PL: [
    'Warszawa',
    'Kraków',
    'Łódź',
    'Wrocław',
    'Poznań',
    'Gdańsk',
    'Szczecin',
    'Bydgoszcz',
    'Lublin',
    'Białystok',
    'Katowice',
    'Gdynia',
    'Częstochowa',
    'Radom',
    'Toruń',
    'Sosnowiec',
    'Kielce',
    'Rzeszów',
    'Gliwice',
    'Zabrze',
    'Olsztyn',
    'Bielsko-Biała',
    'Bytom',
    'Zielona Góra',
    'Rybnik',
    'Ruda Śląska',
    'Opole',
    'Tychy',
    'Gorzów Wielkopolski',
    'Elbląg',
  ],
  SE: [
    'Stockholm',
    'Göteborg',
    'Malmö',
    'Uppsala',
    'Västerås',
    'Örebro',
    'Linköping',
    'Helsingborg',
    'Jönköping',
    'Norrköping',
    'Lund',
    'Umeå',
    'Gävle',
    'Borås',
    'Södertälje',
    'Eskilstuna',
    'Halmstad',
    'Växjö',
    'Karlstad',
    'Sundsvall',
    'Östersund',
    'Trollhättan',
    'Luleå',
    'Kristianstad',
    'Kalmar',
  ],
  GB: [
    'London',
    'Birmingham',
    'Manchester',
    'Leeds',
    'Glasgow',
    'Liverpool',
    'Bristol',
    'Sheffield',
    'Edinburgh',
    'Cardiff',
    'Leicester',
    'Coventry',
    'Bradford',
    'Belfast',
    'Nottingham',
    'Kingston upon Hull',
    'Newcastle upon Tyne',
    'Stoke-on-Trent',
    'Southampton',
    'Derby',
    'Portsmouth',
    'Brighton',
    'Plymouth',
    'Northampton',
    'Reading',
    'Luton',
    'Wolverhampton',
    'Bolton',
    'Aberdeen',
    'Milton Keynes',
    'Swansea',
    'Oxford',
    'Cambridge',
    'York',
    'Bath',
    'Exeter',
    'Norwich',
    'Ipswich',
    'Dundee',
    'Inverness',
  ],
  US: [
    'New York',
    'Los Angeles',
    'Chicago',
    'Houston',
    'Phoenix',
    'Philadelphia',
    'San Antonio',
    'San Diego',
    'Dallas',
    'San Jose',
    'Austin',
    'Jacksonville',
    'Fort Worth',
    'Columbus',
    'Charlotte',
    'Indianapolis',
    'San Francisco',
    'Seattle',
    'Denver',
    'Oklahoma City',
    'Nashville',
    'El Paso',
    'Washington',
    'Boston',
    'Las Vegas',
    'Portland',
    'Detroit',
    'Louisville',
    'Memphis',
    'Baltimore',
    'Milwaukee',
    'Albuquerque',
    'Tucson',
    'Fresno',
    'Sacramento',
    'Kansas City',
    'Mesa',
    'Atlanta',
    'Omaha',
    'Colorado Springs',
    'Raleigh',
    'Long Beach',
    'Virginia Beach',
    'Miami',
    'Oakland',
    'Minneapolis',
    'Tulsa',
    'Bakersfield',
    'Wichita',
    'Arlington',
  ],
  BR: [
    'São Paulo',
    'Rio de Janeiro',
    'Brasília',
    'Salvador',
    'Fortaleza',
    'Belo Horizonte',
    'Manaus',
    'Curitiba',
    'Recife',
    'Goiânia',
    'Porto Alegre',
    'Belém',
    'Guarulhos',
    'Campinas',
    'São Luís',
    'Maceió',
    'Campo Grande',
    'São Gonçalo',
    'Teresina',
    'João Pessoa',
  ],
} as const;

/** A postcode in the country's real shape. */
export function makePostcode(
  rand: Rand,
  country: 'DE' | 'FR' | 'ES' | 'IT' | 'NL' | 'PL' | 'SE' | 'GB' | 'US' | 'BR' | 'CA' | 'AT' | 'BE',
): string {
  switch (country) {
    case 'DE':
      return padNumber(randInt(rand, 1067, 99998), 5);
    case 'FR':
      return padNumber(randInt(rand, 1, 95), 2) + padNumber(randInt(rand, 0, 99) * 10, 3);
    case 'ES':
      return padNumber(randInt(rand, 1, 52), 2) + padNumber(randInt(rand, 0, 999), 3);
    case 'IT':
      return padNumber(randInt(rand, 10, 98), 2) + padNumber(randInt(rand, 0, 999), 3);
    case 'NL': {
      const L = 'ABCDEGHJKLMNPRSTVWXZ';
      return `${randInt(rand, 1011, 9999)} ${L.charAt(randInt(rand, 0, L.length - 1))}${L.charAt(randInt(rand, 0, L.length - 1))}`;
    }
    case 'PL':
      return `${padNumber(randInt(rand, 0, 99), 2)}-${padNumber(randInt(rand, 0, 999), 3)}`;
    case 'SE':
      return `${randInt(rand, 100, 984)} ${padNumber(randInt(rand, 0, 99), 2)}`;
    case 'GB': {
      const area = pickOne(rand, [
        'SW',
        'SE',
        'N',
        'E',
        'W',
        'NW',
        'EC',
        'M',
        'B',
        'LS',
        'G',
        'EH',
        'CF',
        'BS',
        'L',
        'S',
        'NG',
        'OX',
        'CB',
        'BA',
        'YO',
        'EX',
      ]);
      const district = area.length === 1 ? String(randInt(rand, 1, 20)) : String(randInt(rand, 1, 28));
      const inward =
        String(randInt(rand, 0, 9)) +
        pickOne(rand, 'ABDEFGHJLNPQRSTUWXYZ'.split('')) +
        pickOne(rand, 'ABDEFGHJLNPQRSTUWXYZ'.split(''));
      return `${area}${district} ${inward}`;
    }
    case 'US':
      return rand() < 0.8
        ? padNumber(randInt(rand, 1001, 99950), 5)
        : `${padNumber(randInt(rand, 1001, 99950), 5)}-${randomDigits(rand, 4)}`;
    case 'BR':
      return `${padNumber(randInt(rand, 1000, 99999), 5)}-${randomDigits(rand, 3)}`;
    case 'CA': {
      const L = 'ABCEGHJKLMNPRSTVXY';
      const l = () => L.charAt(randInt(rand, 0, L.length - 1));
      return `${l()}${randInt(rand, 0, 9)}${l()} ${randInt(rand, 0, 9)}${l()}${randInt(rand, 0, 9)}`;
    }
    case 'AT':
      return String(randInt(rand, 1010, 9992));
    case 'BE':
      return String(randInt(rand, 1000, 9992));
  }
}
