/** Geographic coordinates: a latitude/longitude pair in text, or single latitude and longitude numbers. */

const PAIR = /^\(?\s*(-?\d{1,2}(?:\.\d+)?)°?\s*[,;/ ]\s*(-?\d{1,3}(?:\.\d+)?)°?\s*\)?$/;

/** Whether `x` is a latitude in degrees (−90..90). */
export function isLatitude(x: number): boolean {
  return Number.isFinite(x) && x >= -90 && x <= 90;
}

/** Whether `x` is a longitude in degrees (−180..180). */
export function isLongitude(x: number): boolean {
  return Number.isFinite(x) && x >= -180 && x <= 180;
}

/** Decimal places of a number as written (`48.8566` has 4). */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A "lat, long" pair in decimal degrees, both in range and with at least three decimals each
 * (about 100 m, enough to find a street), e.g. `48.8566, 2.3522` or `(40.7128;-74.0060)`.
 */
export function isGeoPair(value: string): boolean {
  const m = PAIR.exec(value.trim());
  if (m === null) return false;
  const lat = m[1] as string;
  const lon = m[2] as string;
  return (
    decimalPlaces(lat) >= 3 && decimalPlaces(lon) >= 3 && isLatitude(Number(lat)) && isLongitude(Number(lon))
  );
}
