/**
 * The `OAuth` HTTP authorization scheme: formatting and parsing the
 * Authorization header (RFC 5849 §3.5.1).
 * @module
 */
import { percentDecode, percentEncode } from './encoding.js';
import { OAuthError, invalidArgType, malformed, printableName, quotedString } from './errors.js';
import type { Params } from './request.js';

/** A parsed `OAuth` Authorization header. @group Header */
export interface ParsedAuthorization {
  /** The `realm`, unescaped (never percent-decoded: it is an RFC 2617 quoted-string). */
  realm?: string;
  /** Every other parameter, percent-decoded, in the order sent. */
  params: Params;
}


/**
 * Formats the Authorization header value: `OAuth realm="…", name="value", …`.
 * The realm comes first (as an RFC 2617 quoted-string); every other name and
 * value is percent-encoded (§3.6) and quoted, joined by `", "`.
 *
 * @example
 * ```ts
 * formatAuthorizationHeader([['oauth_consumer_key', 'dpf43f3p2l4k3l03']], 'Photos');
 * // 'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03"'
 * ```
 * @see RFC 5849 §3.5.1
 * @group Header
 */
export function formatAuthorizationHeader(oauthParams: Params, realm?: string): string {
  if (!Array.isArray(oauthParams)) throw invalidArgType('oauthParams', 'an array of [name, value] pairs');
  const parts: string[] = [];
  if (realm !== undefined) {
    if (typeof realm !== 'string') throw invalidArgType('realm', 'a string');
    parts.push(`realm=${quotedString(realm)}`);
  }
  for (const [name, value] of oauthParams) parts.push(`${percentEncode(name)}="${percentEncode(value)}"`);
  return parts.length ? `OAuth ${parts.join(', ')}` : 'OAuth';
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
const SCHEME = /^[ \t]*OAuth(?=[ \t]|$)/i;

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s[i])) i++;
  return i;
}

/** A quoted-string starting after its opening quote at `i`: its unescaped text and the index after the closing quote. */
function readQuoted(s: string, i: number): [value: string, next: number] {
  const close = s.indexOf('"', i);
  if (close === -1) throw malformed('the Authorization header has an unterminated quoted value');
  const backslash = s.indexOf('\\', i);
  // The usual case: no escapes, the value is a slice.
  if (backslash === -1 || backslash > close) return [s.slice(i, close), close + 1];
  let buf = '';
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return [buf, i + 1];
    if (c === '\\') {
      if (i + 1 >= s.length) break;
      buf += s[i + 1];
      i += 2;
    } else {
      buf += c;
      i++;
    }
  }
  throw malformed('the Authorization header has an unterminated quoted value');
}

/** One `name=value` auth-param starting at `i` (RFC 2617, quoted or token value): its raw parts and the index after it. */
function readParam(s: string, i: number): [rawName: string, rawValue: string, next: number] {
  const nameStart = i;
  while (i < s.length && s[i] !== '=' && s[i] !== ',' && !isWs(s[i])) i++;
  const rawName = s.slice(nameStart, i);
  i = skipWs(s, i);
  if (s[i] !== '=') throw malformed(`the Authorization header parameter "${printableName(rawName)}" has no "=" and value`);
  i = skipWs(s, i + 1);
  let rawValue: string;
  if (s[i] === '"') [rawValue, i] = readQuoted(s, i + 1);
  else {
    const start = i;
    while (i < s.length && s[i] !== ',' && !isWs(s[i])) i++;
    rawValue = s.slice(start, i);
  }
  i = skipWs(s, i);
  if (i < s.length) {
    if (s[i] !== ',') throw malformed('the Authorization header parameters must be separated by commas');
    i = skipWs(s, i + 1);
  }
  return [rawName, rawValue, i];
}

/**
 * Parses an Authorization header value of the `OAuth` scheme (scheme matched
 * case-insensitively; optional whitespace around `=` and `,`; quoted values,
 * which may hold commas; unquoted token values tolerated).
 *
 * Returns `null` when the header is of another scheme (`Basic`, `Bearer`…):
 * that is "not OAuth", not an error.
 *
 * @throws {@link OAuthError} 400 `parameter_rejected` for a malformed header,
 *   invalid percent-encoding, or a parameter repeated in the header (reported,
 *   never merged).
 * @example
 * ```ts
 * parseAuthorizationHeader('OAuth realm="Example", oauth_nonce="abc"');
 * // { realm: 'Example', params: [['oauth_nonce', 'abc']] }
 * parseAuthorizationHeader('Basic dXNlcjpwYXNz'); // null
 * ```
 * @see RFC 5849 §3.5.1
 * @group Header
 */
export function parseAuthorizationHeader(value: string): ParsedAuthorization | null {
  if (typeof value !== 'string') throw invalidArgType('value', 'a string');
  const scheme = SCHEME.exec(value);
  if (scheme === null) return null;
  const params: Array<[string, string]> = [];
  const seen = new Set<string>();
  let realm: string | undefined;
  let i = skipWs(value, scheme[0].length);
  while (i < value.length) {
    // Empty list elements are tolerated (RFC 7230 #rule).
    if (value[i] === ',') {
      i = skipWs(value, i + 1);
      continue;
    }
    if (value[i] === '=') throw malformed('the Authorization header has a parameter without a name');
    const [rawName, rawValue, next] = readParam(value, i);
    i = next;
    // RFC 2617 auth-param names are case-insensitive; realm is the only one not percent-encoded.
    if (rawName.toLowerCase() === 'realm') {
      if (realm !== undefined) throw repeated('realm');
      realm = rawValue;
      continue;
    }
    const name = percentDecode(rawName);
    if (seen.has(name)) throw repeated(name);
    seen.add(name);
    params.push([name, percentDecode(rawValue)]);
  }
  return realm === undefined ? { params } : { realm, params };
}

function repeated(name: string): OAuthError {
  return new OAuthError(400, 'parameter_rejected', `the Authorization header repeats the parameter "${printableName(name)}"`, {
    parametersRejected: [name],
  });
}

