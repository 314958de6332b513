/**
 * Percent-encoding as RFC 5849 §3.6 defines it, and strict decoding.
 * @module
 */
import { invalidArgType, invalidArgValue, malformed } from './errors.js';

// The encoder is table-driven: one pass over the UTF-16 code units, no
// regular expression, and a string made only of unreserved characters (most
// names, keys, nonces, timestamps) is returned as it is, without a copy.

/** 1 for the RFC 3986 unreserved set `A-Z a-z 0-9 - . _ ~`, by ASCII code. */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.' || ch === '_' || ch === '~') {
    UNRESERVED[c] = 1;
  }
}
/** `%XX` (uppercase hex) for every byte value. */
const ESCAPE: readonly string[] = Array.from({ length: 256 }, (_, b) => `%${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`);
/** `%25XX`: a byte escaped, then the escape escaped again (the base string encodes encoded parameters). */
const ESCAPE_TWICE: readonly string[] = ESCAPE.map((e) => `%25${e.slice(1)}`);

function loneSurrogate(): TypeError {
  return invalidArgValue('value', 'contains a lone UTF-16 surrogate, which cannot be encoded as UTF-8');
}

/**
 * Encodes `value` with the escape table `esc`; `from` is the index of its
 * first character outside the unreserved set (everything before it is copied).
 */
function encodeFrom(value: string, from: number, esc: readonly string[]): string {
  const n = value.length;
  let out = '';
  let start = 0; // first character not yet copied to out
  for (let i = from; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) {
      if (UNRESERVED[c] === 1) continue;
      out += start === i ? `${esc[c]}` : value.slice(start, i) + esc[c];
    } else {
      if (start !== i) out += value.slice(start, i);
      out += escapeNonAscii(value, i, esc);
      if (c >= 0xd800 && c <= 0xdbff) i++; // a surrogate pair: two code units, one character
    }
    start = i + 1;
  }
  return start < n ? out + value.slice(start) : out;
}

/** The escaped UTF-8 bytes of the non-ASCII character at `i` (a surrogate pair counts as one). */
function escapeNonAscii(value: string, i: number, esc: readonly string[]): string {
  const c = value.charCodeAt(i);
  if (c < 0x800) return `${esc[0xc0 | (c >> 6)]}${esc[0x80 | (c & 0x3f)]}`;
  if (c < 0xd800 || c > 0xdfff) return `${esc[0xe0 | (c >> 12)]}${esc[0x80 | ((c >> 6) & 0x3f)]}${esc[0x80 | (c & 0x3f)]}`;
  // A surrogate: only a high one followed by a low one is a character.
  const low = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
  if (c > 0xdbff || low < 0xdc00 || low > 0xdfff) throw loneSurrogate();
  const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
  return `${esc[0xf0 | (cp >> 18)]}${esc[0x80 | ((cp >> 12) & 0x3f)]}${esc[0x80 | ((cp >> 6) & 0x3f)]}${esc[0x80 | (cp & 0x3f)]}`;
}

/** Index of the first character of `value` outside the unreserved set, or its length. */
function firstToEncode(value: string): number {
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c >= 0x80 || UNRESERVED[c] === 0) break;
    i++;
  }
  return i;
}

/**
 * Percent-encodes a string per RFC 5849 §3.6: the text is UTF-8 encoded, every
 * byte outside the unreserved set `A-Z a-z 0-9 - . _ ~` becomes `%XX` with
 * uppercase hex, and nothing else changes (a space is `%20`, never `+`).
 *
 * @example
 * ```ts
 * percentEncode('Ladies + Gentlemen'); // 'Ladies%20%2B%20Gentlemen'
 * ```
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for a string with a lone UTF-16
 *   surrogate, which has no UTF-8 form.
 * @see RFC 5849 §3.6
 * @group Encoding
 */
export function percentEncode(value: string): string {
  if (typeof value !== 'string') throw invalidArgType('value', 'a string');
  const i = firstToEncode(value);
  return i === value.length ? value : encodeFrom(value, i, ESCAPE);
}

/**
 * `percentEncode(percentEncode(value))` in one pass: what the signature base
 * string holds for a parameter name or value (RFC 5849 §3.4.1.1 encodes the
 * normalized parameters, whose names and values are encoded already). Every
 * character left alone by the first encoding is left alone by the second, and
 * the `%` of each escape becomes `%25`. @internal
 */
export function percentEncodeTwice(value: string): string {
  const i = firstToEncode(value);
  return i === value.length ? value : encodeFrom(value, i, ESCAPE_TWICE);
}

/**
 * Decodes `%XX` escapes strictly: a `%` not followed by two hex digits, or
 * escapes that do not form valid UTF-8 (overlong forms and surrogates
 * included), are an {@link OAuthError} (400 `parameter_rejected`), never a
 * guess. `+` is left as it is: §3.6 encoding never produces it.
 *
 * @example
 * ```ts
 * percentDecode('caf%C3%A9'); // 'café'
 * percentDecode('%zz');       // throws OAuthError (400)
 * ```
 * @see RFC 5849 §3.6
 * @group Encoding
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    // decodeURIComponent rejects malformed escapes and ill-formed UTF-8
    // (ECMA-262 Decode), which is exactly the strictness wanted here.
    return decodeURIComponent(value);
  } catch {
    throw malformed('a value has a malformed percent-encoding or is not valid UTF-8');
  }
}

/**
 * Parses `application/x-www-form-urlencoded` text (a query string or a form
 * body) into decoded pairs, keeping order and repeated names. `+` is a space;
 * `a=b=c` gives `['a', 'b=c']`; `a` gives `['a', '']`; empty pieces between
 * `&`s are skipped. Decoding is strict, as in {@link percentDecode}.
 *
 * @example
 * ```ts
 * parseForm('b=2&a=1+2&a'); // [['b','2'], ['a','1 2'], ['a','']]
 * ```
 * @see RFC 5849 §3.4.1.3.1
 * @group Encoding
 */
export function parseForm(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const n = text.length;
  // One scan: "&" and "=" are each searched for from where the last search
  // stopped, so text without "=" (or without "&") is read once, not per piece.
  let eq = -2; // next "=" at or after start; -1: none left; -2: not searched yet
  let start = 0;
  while (start < n) {
    let end = text.indexOf('&', start);
    if (end === -1) end = n;
    if (end > start) {
      if (eq !== -1 && eq < start) eq = text.indexOf('=', start);
      if (eq === -1 || eq >= end) out.push([formDecode(text.slice(start, end)), '']);
      else out.push([formDecode(text.slice(start, eq)), formDecode(text.slice(eq + 1, end))]);
    }
    start = end + 1;
  }
  return out;
}

function formDecode(raw: string): string {
  return percentDecode(raw.includes('+') ? raw.replaceAll('+', ' ') : raw);
}

/**
 * Serializes pairs as `name=value&…` with §3.6 encoding, a form body or query
 * string every receiver decodes back to the same pairs.
 *
 * @example A form body with a repeated name
 * ```ts
 * formatForm([['status', 'Hello Ladies + Gentlemen'], ['a', '1'], ['a', '2']]);
 * // 'status=Hello%20Ladies%20%2B%20Gentlemen&a=1&a=2'
 * ```
 * @see RFC 5849 §3.6
 * @group Encoding
 */
export function formatForm(params: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of params) out += `${out.length === 0 ? '' : '&'}${percentEncode(name)}=${percentEncode(value)}`;
  return out;
}

/** The UTF-8 length of a string, in bytes, without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). @internal */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}
