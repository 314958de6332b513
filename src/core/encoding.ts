/**
 * Percent-encoding as RFC 5849 §3.6 defines it, and strict decoding.
 * @module
 */
import { invalidArgValue, malformed } from './errors.js';

// encodeURIComponent leaves these five unencoded; RFC 5849 §3.6 does not.
const NOT_UNRESERVED = /[!'()*]/g;
const HAS_NOT_UNRESERVED = /[!'()*]/;
const ONLY_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

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
  // Most names, keys, nonces and timestamps need no encoding at all.
  if (ONLY_UNRESERVED.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw invalidArgValue('value', 'contains a lone UTF-16 surrogate, which cannot be encoded as UTF-8');
  }
  return HAS_NOT_UNRESERVED.test(encoded) ? encoded.replace(NOT_UNRESERVED, hex) : encoded;
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
  if (text.length === 0) return out;
  for (const piece of text.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    out.push([formDecode(rawName), formDecode(rawValue)]);
  }
  return out;
}

function formDecode(raw: string): string {
  return percentDecode(raw.includes('+') ? raw.replace(/\+/g, ' ') : raw);
}

/**
 * Serializes pairs as `name=value&…` with §3.6 encoding, a form body or query
 * string every receiver decodes back to the same pairs.
 * @group Encoding
 */
export function formatForm(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([n, v]) => `${percentEncode(n)}=${percentEncode(v)}`).join('&');
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
