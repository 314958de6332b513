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
  let out = 'OAuth';
  let sep = ' ';
  if (realm !== undefined) {
    if (typeof realm !== 'string') throw invalidArgType('realm', 'a string');
    out += ` realm=${quotedString(realm)}`;
    sep = ', ';
  }
  for (const [name, value] of oauthParams) {
    out += `${sep}${percentEncode(name)}="${percentEncode(value)}"`;
    sep = ', ';
  }
  return out;
}

const TAB = 0x09;
const SP = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQ = 0x3d;
const BACKSLASH = 0x5c;
const isWs = (c: number): boolean => c === SP || c === TAB;
/** The protocol parameters' names, each mapped to itself: a name read from a header is replaced by the constant. */
const PROTOCOL_NAMES = new Map(
  ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce', 'oauth_version', 'oauth_callback', 'oauth_verifier', 'oauth_body_hash'].map((n) => [n, n]),
);
/** Up to this many parameters, a repeat is found by scanning those read; beyond, with a Set. */
const LINEAR_SEEN = 16;

/** Index after `[ \t]*OAuth` when whitespace or the end follows it, else -1 (another scheme). */
function schemeEnd(s: string): number {
  let i = 0;
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  if (s.length - i < 5) return -1;
  // "OAuth" in any letter case: setting bit 0x20 lowercases an ASCII letter and
  // maps no other character onto one.
  for (let k = 0; k < 5; k++) if ((s.charCodeAt(i + k) | 0x20) !== 'oauth'.charCodeAt(k)) return -1;
  i += 5;
  return i === s.length || isWs(s.charCodeAt(i)) ? i : -1;
}

/** A cursor over a header value, read by character codes (no one-character strings). */
class Cursor {
  i: number;
  constructor(
    readonly s: string,
    start: number,
  ) {
    this.i = start;
  }

  /** The code at the cursor, or -1 at the end. */
  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  skipWs(): void {
    while (this.i < this.s.length && isWs(this.s.charCodeAt(this.i))) this.i++;
  }

  /** Advances to the next of `a`, `b` or whitespace (or the end); returns the text passed over. */
  until(a: number, b: number): string {
    const start = this.i;
    const { s } = this;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === a || c === b || isWs(c)) break;
      this.i++;
    }
    return s.slice(start, this.i);
  }

  /** A quoted-string whose opening quote is at the cursor: its unescaped text. */
  quoted(): string {
    const { s } = this;
    const open = this.i + 1;
    const close = s.indexOf('"', open);
    if (close === -1) throw unterminated();
    const backslash = s.indexOf('\\', open);
    if (backslash === -1 || backslash > close) {
      // The usual case: no escapes, the value is a slice.
      this.i = close + 1;
      return s.slice(open, close);
    }
    // A quoted-pair (a backslash and any character) stands for that character.
    let buf = '';
    let from = open;
    for (let i = open; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return buf + s.slice(from, i);
      }
      if (c === BACKSLASH) {
        if (i + 1 >= s.length) break;
        buf += s.slice(from, i);
        from = i + 1; // the escaped character starts the next run
        i += 2;
      } else i++;
    }
    throw unterminated();
  }

  /** The raw name and value of the last {@link param} read, and whether each holds a "%" (needs decoding). */
  rawName = '';
  rawValue = '';
  nameEscaped = false;
  valueEscaped = false;
  /** The index of the next "%" at or after some earlier position (-1: none left), searched forward only. */
  private percent = -2;

  /** Whether s[start, end) holds a "%": one forward search over the header for all parameters. */
  private percentIn(start: number, end: number): boolean {
    if (this.percent !== -1 && this.percent < start) this.percent = this.s.indexOf('%', start);
    return this.percent !== -1 && this.percent < end;
  }

  /** Reads one `name=value` auth-param (RFC 2617; quoted or token value) and the comma after it. */
  param(): void {
    const nameStart = this.i;
    const rawName = this.until(EQ, COMMA);
    this.nameEscaped = this.percentIn(nameStart, this.i);
    this.skipWs();
    if (this.peek() !== EQ) throw malformed(`the Authorization header parameter "${printableName(rawName)}" has no "=" and value`);
    this.i++;
    this.skipWs();
    const valueStart = this.i;
    const quoted = this.peek() === QUOTE;
    const rawValue = quoted ? this.quoted() : this.until(COMMA, COMMA);
    // A quoted value's text lies between its quotes (escapes removed, which adds no "%").
    this.valueEscaped = this.percentIn(valueStart, this.i);
    this.skipWs();
    if (this.i < this.s.length) {
      if (this.peek() !== COMMA) throw malformed('the Authorization header parameters must be separated by commas');
      this.i++;
      this.skipWs();
    }
    this.rawName = rawName;
    this.rawValue = rawValue;
  }
}

const unterminated = (): OAuthError => malformed('the Authorization header has an unterminated quoted value');

/** The params read so far, and a Set of their names once there are many. */
class Seen {
  private set: Set<string> | undefined;
  constructor(private readonly params: Array<[string, string]>) {}

  /** Throws when `name` was read already; else remembers it. */
  add(name: string): void {
    const { params } = this;
    if (this.set === undefined) {
      for (const [seen] of params) if (seen === name) throw repeated(name);
      if (params.length < LINEAR_SEEN) return;
      this.set = new Set(params.map(([n]) => n));
    } else if (this.set.has(name)) throw repeated(name);
    this.set.add(name);
  }
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
  const start = schemeEnd(value);
  if (start === -1) return null;
  const params: Array<[string, string]> = [];
  const seen = new Seen(params);
  let realm: string | undefined;
  const at = new Cursor(value, start);
  at.skipWs();
  while (at.i < value.length) {
    // Empty list elements are tolerated (RFC 7230 #rule).
    if (at.peek() === COMMA) {
      at.i++;
      at.skipWs();
      continue;
    }
    if (at.peek() === EQ) throw malformed('the Authorization header has a parameter without a name');
    at.param();
    const { rawName, rawValue } = at;
    // RFC 2617 auth-param names are case-insensitive; realm is the only one not percent-encoded.
    if (rawName.length === 5 && rawName.toLowerCase() === 'realm') {
      if (realm !== undefined) throw repeated('realm');
      realm = rawValue;
      continue;
    }
    // Names are decoded only when they hold an escape; the protocol's own become the constants (flat strings).
    const name = at.nameEscaped ? percentDecode(rawName) : (PROTOCOL_NAMES.get(rawName) ?? rawName);
    seen.add(name);
    params.push([name, at.valueEscaped ? percentDecode(rawValue) : rawValue]);
  }
  return realm === undefined ? { params } : { realm, params };
}

function repeated(name: string): OAuthError {
  return new OAuthError(400, 'parameter_rejected', `the Authorization header repeats the parameter "${printableName(name)}"`, {
    parametersRejected: [name],
  });
}

