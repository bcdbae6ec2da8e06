/** Device and network identifiers that point at a person: MAC addresses and URLs carrying credentials. */

const MAC_COLON_OR_DASH = /^[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$/;
const MAC_DOTTED = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/;

/** A 48-bit MAC address: six hex pairs split by one kind of separator (`:` or `-`), or Cisco `xxxx.xxxx.xxxx`. */
export function isValidMacAddress(value: string): boolean {
  return MAC_COLON_OR_DASH.test(value) || MAC_DOTTED.test(value);
}

const URL_WITH_CREDENTIALS =
  /^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s/?#@:]+):([^\s/?#@]+)@([^\s/?#@]+)(?:[/?#]\S*)?$/;

/** A URL whose authority carries `user:password@` (database connection strings, basic-auth links). */
export function isUrlWithCredentials(value: string): boolean {
  return URL_WITH_CREDENTIALS.test(value);
}
