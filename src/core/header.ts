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
  const s = value;
  const n = s.length;
  let i = scheme[0].length;
  const params: Array<[string, string]> = [];
  const seen = new Set<string>();
  let realm: string | undefined;

  const skipWs = (): void => {
    while (i < n && isWs(s[i])) i++;
  };

  skipWs();
  while (i < n) {
    // name
    const nameStart = i;
    while (i < n && s[i] !== '=' && s[i] !== ',' && !isWs(s[i])) i++;
    const rawName = s.slice(nameStart, i);
    if (rawName.length === 0) {
      if (s[i] === ',') { i++; skipWs(); continue; } // tolerate empty list elements (RFC 7230 #rule)
      throw malformed('the Authorization header has a parameter without a name');
    }
    skipWs();
    if (s[i] !== '=') throw malformed(`the Authorization header parameter "${printableName(rawName)}" has no "=" and value`);
    i++;
    skipWs();
    let rawValue: string;
    if (s[i] === '"') {
      i++;
      const close = s.indexOf('"', i);
      if (close === -1) throw malformed('the Authorization header has an unterminated quoted value');
      const backslash = s.indexOf('\\', i);
      if (backslash === -1 || backslash > close) {
        // The usual case: no escapes, the value is a slice.
        rawValue = s.slice(i, close);
        i = close + 1;
      } else {
        let buf = '';
        let closed = false;
        while (i < n) {
          const c = s[i]!;
          if (c === '\\') {
            if (i + 1 >= n) break;
            buf += s[i + 1];
            i += 2;
          } else if (c === '"') {
            closed = true;
            i++;
            break;
          } else {
            buf += c;
            i++;
          }
        }
        if (!closed) throw malformed('the Authorization header has an unterminated quoted value');
        rawValue = buf;
      }
    } else {
      const start = i;
      while (i < n && s[i] !== ',' && !isWs(s[i])) i++;
      rawValue = s.slice(start, i);
    }
    skipWs();
    if (i < n) {
      if (s[i] !== ',') throw malformed('the Authorization header parameters must be separated by commas');
      i++;
      skipWs();
    }

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

