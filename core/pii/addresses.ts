/**
 * Street-address lines in the orders Europe and America write them: the house number first
 * (`221B Baker Street`, `12 rue de la Paix`) or last (`Hauptstraße 5`, `Calle Mayor 3`,
 * `Kerkstraat 12a`), with a street word that says the line is an address and not a product.
 */

const STREET_WORDS = new Set(
  (
    'street st road rd avenue ave av lane ln drive dr boulevard blvd way court ct place pl square sq ' +
    'terrace crescent close gardens grove row parkway pkwy highway hwy circle cir trail path alley walk ' +
    'mews hill park extension manor heights ridge view station suite apt ' +
    // The USPS suffix list (faker draws from it), singular; plurals are folded below.
    'annex arcade bayou beach bend bluff bottom branch bridge brook burg bypass camp canyon cape causeway ' +
    'center centre cliff club common corner course cove creek crest crossing curve dale dam divide estate ' +
    'expressway fall ferry field flat ford forest forge fork fort freeway garden gateway glen green harbor ' +
    'haven hollow inlet island isle junction key knoll lake land landing light loaf lock lodge loop mall ' +
    'meadow mill mission motorway mount mountain neck orchard oval overpass pass pike pine pines plain ' +
    'point port prairie radial ramp ranch rapid rest river route run shoal shore skyway spring spur ' +
    'summit throughway trace track trafficway tunnel turnpike underpass union valley viaduct village ville vista well wells ' +
    'strasse str weg gasse allee platz ring damm ufer chaussee steig pfad markt ' +
    'rue avenue boulevard bd chemin impasse allee place quai route cours passage voie ' +
    'calle avenida av plaza paseo camino carrer carretera ronda travesia glorieta via ' +
    'via viale piazza corso vicolo largo strada contrada borgo rotonda ' +
    'straat laan weg plein gracht kade singel dijk steeg hof park dreef'
  ).split(' '),
);

/** Street words that German and Dutch write joined to the name (`Buchenweg`, `Rileyplantsoen`). */
const STREET_SUFFIXES = [
  'strasse',
  'str',
  'weg',
  'gasse',
  'allee',
  'platz',
  'ring',
  'damm',
  'straat',
  'laan',
  'plein',
  'gracht',
  'kade',
  'dreef',
  'park',
  'hof',
  'plantsoen',
  'singel',
  'dijk',
  'steeg',
  'markt',
  'pad',
  'erf',
  'veld',
  'wal',
  'hout',
];

function foldWord(word: string): string {
  return word
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.,]/g, '');
}

/** Whether a word is or ends in a street word (`Hauptstraße`, `Kerkstraat`, `Buchenweg` included). */
function isStreetWord(word: string): boolean {
  const w = foldWord(word);
  if (STREET_WORDS.has(w) || (w.endsWith('s') && STREET_WORDS.has(w.slice(0, -1)))) return true;
  for (const suffix of STREET_SUFFIXES) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix)) return true;
  }
  return false;
}

const NUMBER_FIRST = /^\d{1,6}[A-Za-z]?(?:[-/]\d{1,4})?,?\s+\S+(?:\s+\S+)*$/;
const NUMBER_LAST =
  /^\S+(?:\s+\S+)*\s+\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?(?:\s+(?:[IVX]{1,4}|bis|ter|hs|[A-Za-z]))?(?:,.*)?$/;

/** A line with a house number at either end (the weak form, used beside an address column name). */
export function hasHouseNumber(value: string): boolean {
  return (NUMBER_FIRST.test(value) || NUMBER_LAST.test(value)) && /\p{L}{2,}/u.test(value);
}

/** A street line: a house number at either end and a street word (the strong form, trusted without a column name). */
export function isStreetLine(value: string): boolean {
  if (value.length > 120 || !hasHouseNumber(value)) return false;
  return value.split(/[\s,]+/).some((w) => /\p{L}/u.test(w) && isStreetWord(w));
}
