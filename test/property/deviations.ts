/**
 * The one place that lists where python3-oauthlib 3.2.2 and this library
 * knowingly differ, each with the section that justifies our side.
 *
 * A property consults `deviationsFor(case, property)` and skips only the
 * comparison the listed deviation covers, for the inputs its predicate
 * matches (and counts it); nothing else is ever excused. Where oauthlib's
 * answer has a known symptom, `symptom` checks it, so a third, unexpected
 * answer still fails. docs/interop.md describes the same differences for the
 * fixed vectors.
 */
import { parseAuthorizationHeader, type SignedRequest } from '../../src/index.js';
import { FORM, type Case } from './arbitraries.js';

/** Which comparison a deviation excuses. */
export type Comparison =
  /** Base string, signature and header of oauthlib's Client vs sign(). */
  | 'sign'
  /** oauthlib's endpoints accepting what sign() produced. */
  | 'endpoint'
  /** Our verifier accepting what oauthlib's Client produced. */
  | 'reverse';

export interface Deviation {
  id: string;
  /** Where the RFC (or the extension) says what we do. */
  rfc: string;
  /** What oauthlib does instead. */
  oauthlib: string;
  excuses: readonly Comparison[];
  applies(c: Case): boolean;
  /** When oauthlib's Client raises for this input, its message matches this. */
  symptom?: RegExp;
}

// oauthlib's common.urldecode: the characters it accepts in a query or form
// body, and the escapes it refuses.
const OAUTHLIB_URLENCODED = /^[A-Za-z0-9_.\-=&;:%+~,*@!()/?'$]*$/;
const OAUTHLIB_BAD_HEX = /%[^0-9A-Fa-f]|%[0-9A-Fa-f][^0-9A-Fa-f]/;

/** Whether oauthlib's `extract_params` reads text as form parameters ('' included). */
export function oauthlibParsesAsForm(text: string): boolean {
  return OAUTHLIB_URLENCODED.test(text) && !OAUTHLIB_BAD_HEX.test(text);
}

/** A value Python's `unquote` changes: it holds a valid %XX escape. */
const unquoteChanges = (v: string): boolean => /%[0-9A-Fa-f]{2}/.test(v);

/** The decoded pairs the case puts in the query and form body (what oauthlib collects from them). */
function queryAndFormPairs(c: Case): Array<[string, string]> {
  const query = new URLSearchParams(c.rawQuery);
  const pairs: Array<[string, string]> = [...query, ...c.query];
  if (c.body.kind === 'form') pairs.push(...c.body.pairs);
  return pairs;
}

/** The protocol parameter values a signed request carries (the signature itself aside). */
function protocolValues(c: Case): string[] {
  return [c.consumerKey, c.nonce, c.timestamp, ...(c.token ? [c.token.key] : []), ...c.extraOAuth.map(([, v]) => v)];
}

/** Whether the PLAINTEXT signature (the encoded secrets) holds an escape. */
function plaintextSignatureHasEscape(c: Case): boolean {
  if (c.signatureMethod !== 'PLAINTEXT') return false;
  return /[^A-Za-z0-9\-._~]/.test(c.consumerSecret + (c.token?.secret ?? ''));
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'oauth-params-decoded-twice',
    rfc: 'RFC 5849 §3.4.1.3.1 (query and form body are decoded once, as application/x-www-form-urlencoded); §3.5.2, §3.5.3',
    oauthlib: 'signature.collect_parameters percent-decodes the value of every oauth_* parameter found in the query or form body a second time',
    excuses: ['sign', 'endpoint', 'reverse'],
    applies: (c) => {
      if (queryAndFormPairs(c).some(([n, v]) => n.startsWith('oauth_') && unquoteChanges(v))) return true;
      // Protocol parameters placed in the query or body travel there too.
      return c.placement !== 'header' && (protocolValues(c).some(unquoteChanges) || plaintextSignatureHasEscape(c));
    },
  },
  {
    id: 'body-hash-always-sha1',
    rfc: 'OAuth Request Body Hash draft (draft-eaton-oauth-bodyhash-00) §3.1: the hash algorithm is the signature method\'s (SHA-256 for *-SHA256, SHA-512 for *-SHA512)',
    oauthlib: 'Client adds oauth_body_hash computed with SHA-1 whatever the signature method',
    excuses: ['sign', 'reverse'],
    applies: (c) => c.bodyHash && /SHA(256|512)$/.test(c.signatureMethod),
  },
  {
    id: 'body-hash-needs-body-and-type',
    rfc: 'body hash draft §3.2 (a request without an entity body hashes the empty string) and §4.1.1 (every request without a form body SHOULD carry it)',
    oauthlib: 'Client adds oauth_body_hash only when the request has both a body and a Content-Type',
    excuses: ['sign', 'reverse'],
    applies: (c) => c.bodyHash && (c.body.kind === 'none' || c.body.contentType === undefined),
  },
  {
    id: 'client-form-content-type-exact',
    rfc: 'RFC 5849 §3.4.1.3.1 (the Content-Type alone decides whether the body is a form) with RFC 9110 §8.3.1 (media types are case-insensitive and take parameters); a list is not one media type (RFC 9110 §8.3)',
    oauthlib: 'Client.sign raises unless the Content-Type is exactly "application/x-www-form-urlencoded" whenever the body parses as a form, and raises for that exact type when it does not',
    excuses: ['sign', 'reverse'],
    applies: (c) => c.body.kind !== 'none' && (c.body.contentType === FORM) !== oauthlibParsesAsForm(c.body.text),
    symptom: /Content-Type|formencoded/,
  },
  {
    id: 'endpoint-form-content-type-substring',
    rfc: 'RFC 9110 §8.3.1 (type and subtype are case-insensitive; the type is what precedes ";") and RFC 5849 §3.4.1.3.1',
    oauthlib: 'endpoints read the body as a form when the Content-Type contains "application/x-www-form-urlencoded" as a case-sensitive substring (so a list counts, an upper-case type does not)',
    excuses: ['endpoint'],
    applies: (c) => c.body.kind === 'form' && (c.body.contentType.includes(FORM) !== /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(c.body.contentType)),
  },
  {
    id: 'iri-not-uri',
    rfc: 'RFC 5849 §3.4.1.2 builds on the URI of RFC 3986 (ASCII); raw non-ASCII text is sent UTF-8 percent-encoded (RFC 3987 §3.1), as fetch sends it',
    oauthlib: 'a raw non-ASCII query raises in common.urldecode, and base_string_uri keeps a raw non-ASCII path unencoded',
    excuses: ['sign', 'reverse'],
    applies: (c) => /[^\x00-\x7f]/.test(c.path + c.rawQuery),
    symptom: /non urlencoded|invalid characters/i,
  },
  {
    id: 'path-empty-semicolon-params',
    rfc: 'RFC 5849 §3.4.1.2 (the path as the request has it) with RFC 3986 §3.3 (";" is an ordinary path character)',
    oauthlib: 'base_string_uri parses with urllib urlparse, which splits ";params" off the last segment and drops them when empty, so "/a;" is signed as "/a"',
    excuses: ['sign', 'endpoint', 'reverse'],
    applies: (c) => {
      const last = c.path.slice(c.path.lastIndexOf('/') + 1);
      return last.indexOf(';') === last.length - 1 && last.length > 0;
    },
  },
  {
    id: 'realm-unescaped',
    rfc: 'RFC 5849 §3.5.1 (realm is an RFC 2617 quoted-string: `"` and `\\` are escaped)',
    oauthlib: 'Client writes realm="%s" without escaping, so its header does not parse as sent; excuses the header comparison only (realm is never signed)',
    excuses: ['sign', 'reverse'],
    applies: (c) => c.realm !== null && /["\\]/.test(c.realm),
    // oauthlib_sign.py cannot read oauthlib's own header back.
    symptom: /KeyError: 'oauth_signature'|Malformed authorization header/,
  },
];

/** The deviations that excuse `comparison` for this case. */
export function deviationsFor(c: Case, comparison: Comparison): Deviation[] {
  return DEVIATIONS.filter((d) => d.excuses.includes(comparison) && d.applies(c));
}

// ---------------------------------------------------------------------------
// Requests our verifier refuses on purpose, although we signed them: the RFC
// or a documented limit says so. A refusal must match one of these, with
// exactly its status and problem; any other refusal fails the property.

export interface ExpectedRefusal {
  id: string;
  /** The rule, with its source. */
  rule: string;
  status: number;
  problem: string;
  /** Whether oauthlib's endpoint refuses it too (by the same rule). */
  oauthlibToo: boolean;
  applies(signed: SignedRequest): boolean;
}

/**
 * The one media type a Content-Type names, or undefined: entries of a list
 * trimmed, empty ones dropped, and a list that repeats one type is that type
 * (RFC 9110 §5.3: a repeated field is its values joined by commas).
 */
export function singleMediaType(contentType: string): string | undefined {
  const types = new Set(
    contentType
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')
      .map((e) => (e.split(';')[0] ?? '').trim().toLowerCase()),
  );
  return types.size === 1 ? [...types][0] : undefined;
}

/** Names of the oauth_* parameters a signed request carries, by location. */
function oauthNamesByLocation(signed: SignedRequest): string[][] {
  const names = (pairs: Iterable<[string, string]>): string[] => [...pairs].map(([n]) => n).filter((n) => n.startsWith('oauth_'));
  const header = signed.headers['Authorization'];
  const contentType = Object.entries(signed.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const isForm = contentType !== undefined && singleMediaType(contentType) === FORM;
  let headerNames: string[] = [];
  try {
    headerNames = header === undefined ? [] : (parseAuthorizationHeader(header)?.params ?? []).map(([n]) => n);
  } catch {
    // A header that does not parse (oauthlib's unescaped realm) names nothing here.
  }
  return [
    headerNames,
    names(new URL(signed.url).searchParams),
    isForm && typeof signed.body === 'string' ? names(new URLSearchParams(signed.body)) : [],
  ];
}

export const EXPECTED_REFUSALS: readonly ExpectedRefusal[] = [
  {
    id: 'oauth-params-one-location',
    rule: 'RFC 5849 §3.5: the protocol parameters and any other oauth_* parameter go in one and only one location; §3.2: a repeated protocol parameter is a 400',
    status: 400,
    problem: 'parameter_rejected',
    oauthlibToo: true,
    applies: (signed) => {
      const byLocation = oauthNamesByLocation(signed);
      const all = byLocation.flat();
      return byLocation.filter((l) => l.length > 0).length > 1 || new Set(all).size !== all.length;
    },
  },
  {
    id: 'nonce-length-limit',
    rule: 'VerifierLimits.nonceLength: an oauth_nonce longer than 255 characters (the default) is refused, so that no request holds an unbounded amount of store memory for the window (RFC 5849 §3.3, §4.10; issue 9, finding 3)',
    status: 400,
    problem: 'parameter_rejected',
    oauthlibToo: false,
    applies: (signed) => (signed.oauthParams.find(([n]) => n === 'oauth_nonce')?.[1].length ?? 0) > 255,
  },
  {
    id: 'header-length-limit',
    rule: 'VerifierLimits.headerLength: an Authorization header longer than 8192 characters (the default) is refused before parsing',
    status: 400,
    problem: 'parameter_rejected',
    oauthlibToo: false,
    applies: (signed) => (signed.headers['Authorization']?.length ?? 0) > 8192,
  },
];

/** The expected refusal that explains our verifier's answer, if one does. */
export function expectedRefusal(signed: SignedRequest, refusal: { status: number; problem: string }): ExpectedRefusal | undefined {
  return EXPECTED_REFUSALS.find((r) => r.applies(signed) && r.status === refusal.status && r.problem === refusal.problem);
}

/** Whether oauthlib's endpoint is expected to refuse a request we signed (by a rule it shares). */
export function oauthlibRefusesToo(signed: SignedRequest): ExpectedRefusal | undefined {
  return EXPECTED_REFUSALS.find((r) => r.oauthlibToo && r.applies(signed));
}

// ---------------------------------------------------------------------------
// Requests sign() refuses on purpose. A throw from sign() must match one of
// these; any other fails the property.

export interface SignerRefusal {
  id: string;
  rule: string;
  applies(c: Case): boolean;
  /** The error sign() throws: its name and a part of its message. */
  error: { name: 'OAuthError' | 'TypeError'; message: RegExp };
}

/** The media types a Content-Type value lists (Fetch's split at commas outside quotes is not needed: the generator quotes nothing). */
const listedTypes = (contentType: string): string[] =>
  contentType
    .split(',')
    .map((t) => (t.split(';')[0] ?? '').trim().toLowerCase())
    .filter((t) => t.length > 0);

export const SIGNER_REFUSALS: readonly SignerRefusal[] = [
  {
    id: 'content-type-lists-types',
    rule: 'one Content-Type reading for signer, verifier and adapters (issue 9, finding 2; RFC 9110 §8.3: Content-Type is one media type): a value listing different media types is refused with 400',
    applies: (c) => c.body.kind !== 'none' && c.body.contentType !== undefined && new Set(listedTypes(c.body.contentType)).size > 1,
    error: { name: 'OAuthError', message: /lists more than one media type/ },
  },
];

/** The signer refusal that explains an error sign() threw for this case, if one does. */
export function signerRefusal(c: Case, err: unknown): SignerRefusal | undefined {
  const e = err as Error;
  return SIGNER_REFUSALS.find((r) => r.applies(c) && e?.name === r.error.name && r.error.message.test(e.message));
}
