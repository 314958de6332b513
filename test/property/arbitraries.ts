/**
 * Generated requests for the property-based tests: what a client may ask
 * sign() (and oauthlib's Client) to sign, with the shapes the security
 * review of issue 9 used: dot segments and backslashes in paths, escapes and
 * `+`, repeated query names, form bodies under list and repeated
 * Content-Types, long nonces, every signature method, default and other
 * ports.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatForm, type SignatureMethod } from '../../src/index.js';
import type { ProtocolRequest } from '../helpers/python.js';

export const FORM = 'application/x-www-form-urlencoded';

export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT'] as const satisfies readonly SignatureMethod[];
export type Method = (typeof SIGNATURE_METHODS)[number];
export const isRsa = (m: string): boolean => m.startsWith('RSA-');

const keyFile = (name: string): string => readFileSync(fileURLToPath(new URL(`../../vectors/keys/${name}`, import.meta.url)), 'utf8');
/** The corpus's test key pair (vectors/keys/README.md): PKCS#8 and PKCS#1 private, SPKI public. */
export const RSA = {
  privatePkcs8: keyFile('rsa-1024-private-pkcs8.pem'),
  privatePkcs1: keyFile('rsa-1024-private-pkcs1.pem'),
  publicSpki: keyFile('rsa-1024-public-spki.pem'),
};

// ---------------------------------------------------------------------------
// Text

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const unreservedChar = fc.constantFrom(...UNRESERVED.split(''));
/** Characters worth trying in names, values, secrets and nonces: reserved, `%`, `+`, space, quotes, non-ASCII (2-, 3- and 4-byte UTF-8). */
const trickyChar = fc.constantFrom(' ', '+', '%', '&', '=', '"', "'", '\\', ',', ';', '/', '?', '#', '!', '*', '(', ')', '~', 'é', '€', '𝄞', '\t', '\u00a0');
const textChar = fc.oneof({ weight: 4, arbitrary: unreservedChar }, { weight: 1, arbitrary: trickyChar });

/** Any text, often plain, sometimes tricky. */
export const text = (maxLength = 12, minLength = 0): fc.Arbitrary<string> => fc.string({ unit: textChar, minLength, maxLength });
/** A non-empty token of unreserved characters. */
export const plainToken = (maxLength = 12): fc.Arbitrary<string> => fc.string({ unit: unreservedChar, minLength: 1, maxLength });

/** A nonce: usually short, sometimes long (up to `long` characters), any text. */
export const nonce = (long = 600): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: text(40, 1) },
    { weight: 1, arbitrary: fc.tuple(text(4, 1), fc.integer({ min: 100, max: long })).map(([unit, n]) => [...unit.repeat(n)].slice(0, n).join('')) },
  );

// ---------------------------------------------------------------------------
// URL pieces

/** One raw path segment: unreserved text, escapes (either hex case), `+`, sub-delims, and sometimes non-ASCII. */
const segmentPiece = fc.oneof(
  { weight: 24, arbitrary: fc.string({ unit: unreservedChar, minLength: 1, maxLength: 6 }) },
  { weight: 8, arbitrary: fc.constantFrom('%20', '%2F', '%2f', '%25', '%41', '%7E', '%7e', '%C3%A9', '%E2%82%AC', '%2B', '%3B') },
  { weight: 8, arbitrary: fc.constantFrom('+', '!', '$', '&', "'", '(', ')', '*', ',', ';', '=', ':', '@') },
  { weight: 1, arbitrary: fc.constantFrom('é', '€') },
);
/** A segment that is not a dot segment (`.` or `..`, raw or encoded). */
const plainSegment = fc
  .array(segmentPiece, { minLength: 1, maxLength: 3 })
  .map((p) => p.join(''))
  .filter((s) => !/^(?:\.|%2e){1,2}$/i.test(s));
/** Dot segments, raw or percent-encoded, and backslashes: what WHATWG URL parsing rewrites (issue 9, finding 1). */
export const DOT_SEGMENTS = ['.', '..', '%2e', '%2E', '.%2E', '%2e.', '%2E%2E', '%2e%2e'] as const;
const dotSegment = fc.constantFrom(...DOT_SEGMENTS);

/** A path of clean segments (no dot segments, no backslash), possibly with a trailing slash. */
export const cleanPath = fc
  .tuple(fc.array(plainSegment, { minLength: 0, maxLength: 4 }), fc.boolean())
  .map(([segments, trailing]) => (segments.length === 0 ? '/' : `/${segments.join('/')}${trailing ? '/' : ''}`));

/** A path that may hold dot segments and backslashes. */
export const anyPath = fc.oneof(
  { weight: 4, arbitrary: cleanPath },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof({ weight: 3, arbitrary: plainSegment }, { weight: 1, arbitrary: dotSegment }), { minLength: 1, maxLength: 5 })
      .chain((segments) => fc.constantFrom('/', '\\').map((sep) => `/${segments.join(sep)}`)),
  },
);

export interface Origin {
  scheme: 'http' | 'https';
  /** The scheme as written (case varies). */
  schemeText: string;
  /** The host as written (case varies). */
  host: string;
  /** `''` or `:<port>` (the scheme's default port sometimes written out). */
  port: string;
}

const hostName = fc.constantFrom('example.com', 'API.Example.NET', 'photos.example.net', 'x_y.example', 'localhost', '127.0.0.1', '[::1]', '[2001:DB8::7]');
export const origin: fc.Arbitrary<Origin> = fc
  .tuple(fc.constantFrom('http', 'https') as fc.Arbitrary<'http' | 'https'>, fc.boolean(), hostName, fc.constantFrom('none', 'default', 'other', 'crossed'))
  .chain(([scheme, upper, host, portKind]) =>
    (portKind === 'other' ? fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 80 && p !== 443) : fc.constant(0)).map((n) => {
      const port = portKind === 'none' ? '' : portKind === 'default' ? (scheme === 'http' ? ':80' : ':443') : portKind === 'crossed' ? (scheme === 'http' ? ':443' : ':80') : `:${n}`;
      return { scheme, schemeText: upper ? scheme.toUpperCase() : scheme, host, port };
    }),
  );

/** A name for a query or form parameter; sometimes `oauth_`-prefixed (signed like any other, RFC 5849 §3.4.1.3.1). */
const paramName = fc.oneof({ weight: 30, arbitrary: text(8, 1) }, { weight: 1, arbitrary: text(5, 1).map((n) => `oauth_${n}`) });
const pairs = (max: number): fc.Arbitrary<Array<[string, string]>> =>
  fc.array(fc.tuple(paramName, text(10)), { maxLength: max }).chain((list) =>
    // Repeated names: sometimes duplicate a pair, or reuse a name with another value.
    list.length === 0 ? fc.constant(list) : fc.tuple(fc.constant(list), fc.nat(list.length - 1), fc.constantFrom('none', 'pair', 'name'), text(6)).map(([l, i, how, v]) => {
      const at = l[i] as [string, string];
      return how === 'none' ? l : [...l, how === 'pair' ? ([...at] as [string, string]) : ([at[0], v] as [string, string])];
    }),
  );

/** `application/x-www-form-urlencoded` text of pairs, as a client may write it: §3.6 escapes, or `+` for spaces and lowercase hex. */
export const encodePairs = (list: ReadonlyArray<readonly [string, string]>, style: 'rfc' | 'html'): string =>
  style === 'rfc'
    ? formatForm(list)
    : list
        .map(([n, v]) => [n, v].map((s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())).join('='))
        .join('&');

/** A raw query: pairs in either style, sometimes a name without "=" or an empty piece. */
const rawQuery = fc
  .tuple(pairs(5), fc.constantFrom('rfc', 'html') as fc.Arbitrary<'rfc' | 'html'>, fc.constantFrom('', '&flag', '&&', '&empty='))
  .map(([list, style, tail]) => (list.length === 0 ? '' : `${encodePairs(list, style)}${tail}`));

// ---------------------------------------------------------------------------
// Bodies and Content-Types

/** Content-Types a form body may travel under; the list and odd forms are issue 9, finding 2. */
export const FORM_CONTENT_TYPES = {
  plain: [FORM],
  variant: ['Application/X-WWW-Form-URLEncoded', `${FORM}; charset=utf-8`, `${FORM};charset=UTF-8`],
  list: [`text/plain, ${FORM}`, `${FORM}, text/plain`, `${FORM}, ${FORM}`, `${FORM},`, `, ${FORM}`],
} as const;

export type Body =
  | { kind: 'none' }
  /** A form: its pairs, the text sent, and the Content-Type it travels under. */
  | { kind: 'form'; pairs: Array<[string, string]>; text: string; contentType: string }
  /** Another body (JSON, text), which only a body hash signs. */
  | { kind: 'raw'; text: string; contentType: string | undefined };

const formBody: fc.Arbitrary<Body> = fc
  .tuple(
    pairs(6),
    fc.constantFrom('rfc', 'html') as fc.Arbitrary<'rfc' | 'html'>,
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...FORM_CONTENT_TYPES.plain) },
      { weight: 1, arbitrary: fc.constantFrom(...FORM_CONTENT_TYPES.variant) },
      { weight: 1, arbitrary: fc.constantFrom(...FORM_CONTENT_TYPES.list) },
    ),
  )
  .map(([list, style, contentType]) => ({ kind: 'form', pairs: list, text: encodePairs(list, style), contentType }));

const rawBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(text(8), fc.integer({ min: -5, max: 5 })).map(([s, n]) => ({ kind: 'raw' as const, text: JSON.stringify({ s, n }), contentType: 'application/json' })),
  text(20).map((s) => ({ kind: 'raw' as const, text: s, contentType: 'text/plain; charset=utf-8' })),
  text(20, 1).map((s) => ({ kind: 'raw' as const, text: `<x>${s}</x>`, contentType: 'application/xml' })),
);

// ---------------------------------------------------------------------------
// A whole case

export interface Case {
  /** The HTTP method as written (case varies). */
  method: string;
  origin: Origin;
  path: string;
  /** Raw query text, without "?" ('' for none). */
  rawQuery: string;
  /** Decoded pairs appended to the query (the protocol's `query`). */
  query: Array<[string, string]>;
  body: Body;
  bodyHash: boolean;
  signatureMethod: Method;
  rsaKey: 'pkcs8' | 'pkcs1';
  consumerKey: string;
  consumerSecret: string;
  token: { key: string; secret: string } | null;
  nonce: string;
  timestamp: string;
  realm: string | null;
  includeVersion: boolean;
  /** Protocol parameters beyond the usual ones: oauth_callback, oauth_verifier. */
  extraOAuth: Array<[string, string]>;
  placement: 'header' | 'query' | 'body';
}

const NO_BODY = new Set(['GET', 'HEAD']);

export interface CaseOptions {
  /** Paths with dot segments and backslashes (default true). */
  dotSegments?: boolean;
  /** Timestamps: any the rule allows, or 10 digits (oauthlib's endpoint insists on 10). */
  timestamps?: 'any' | 'ten-digits';
  /** The longest nonce generated. */
  longNonce?: number;
}

const timestampArb = (kind: 'any' | 'ten-digits'): fc.Arbitrary<string> =>
  kind === 'ten-digits' ? fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }).map(String) : fc.oneof(fc.integer({ min: 1, max: 9_999_999_999 }).map(String), fc.constant('137131201'));

/** A request to sign, with its credentials and protocol options. */
export function caseArb(opts: CaseOptions = {}): fc.Arbitrary<Case> {
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'post', 'Get', 'PROPFIND');
  const token = fc.option(fc.record({ key: text(16, 1), secret: text(16) }), { nil: null, freq: 4 });
  const extras = fc.array(fc.tuple(fc.constantFrom('oauth_callback', 'oauth_verifier'), text(20, 1)), { maxLength: 2 }).map((list) => [...new Map(list)]);
  return fc
    .record({
      method,
      origin,
      path: opts.dotSegments === false ? cleanPath : anyPath,
      rawQuery,
      query: pairs(3),
      bodyChoice: fc.constantFrom('none', 'form', 'form', 'raw'),
      form: formBody,
      raw: rawBody,
      bodyHash: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
      signatureMethod: fc.constantFrom(...SIGNATURE_METHODS),
      rsaKey: fc.constantFrom('pkcs8', 'pkcs1') as fc.Arbitrary<'pkcs8' | 'pkcs1'>,
      consumerKey: text(16, 1),
      consumerSecret: text(16),
      token,
      nonce: nonce(opts.longNonce),
      timestamp: timestampArb(opts.timestamps ?? 'any'),
      realm: fc.option(text(10), { nil: null }),
      includeVersion: fc.boolean(),
      extraOAuth: extras,
      placement: fc.constantFrom('header', 'header', 'query', 'body') as fc.Arbitrary<'header' | 'query' | 'body'>,
    })
    .map(({ bodyChoice, form, raw, ...c }) => {
      const hasBody = !NO_BODY.has(c.method.toUpperCase());
      const body: Body = !hasBody || bodyChoice === 'none' ? { kind: 'none' } : bodyChoice === 'form' ? form : raw;
      // Body placement needs a form body under one form Content-Type (RFC 5849 §3.5.2); otherwise the header.
      const singleForm = body.kind === 'form' && !body.contentType.includes(',');
      const placement = c.placement === 'body' && !singleForm ? 'header' : c.placement;
      return { ...c, body, placement, bodyHash: c.bodyHash && body.kind !== 'form' };
    });
}

/** The URL as the client writes it (raw query included; `query` pairs not yet). */
export function caseUrl(c: Case): string {
  const { schemeText, host, port } = c.origin;
  return `${schemeText}://${host}${port}${c.path}${c.rawQuery ? `?${c.rawQuery}` : ''}`;
}

/** The case as a conformance-protocol request (what oauthlib's Client signs). */
export function toProtocol(c: Case): ProtocolRequest {
  return {
    method: c.method,
    url: caseUrl(c),
    query: c.query,
    form: null,
    body: c.body.kind === 'none' ? null : c.body.text,
    content_type: c.body.kind === 'none' ? null : (c.body.contentType ?? null),
    consumer_key: c.consumerKey,
    consumer_secret: isRsa(c.signatureMethod) ? null : c.consumerSecret,
    token: c.token?.key ?? null,
    token_secret: c.token?.secret ?? null,
    signature_method: c.signatureMethod,
    rsa_private_key_pem: isRsa(c.signatureMethod) ? (c.rsaKey === 'pkcs8' ? RSA.privatePkcs8 : RSA.privatePkcs1) : null,
    nonce: c.nonce,
    timestamp: c.timestamp,
    realm: c.realm,
    extra_oauth: c.extraOAuth,
    include_version: c.includeVersion,
    body_hash: c.bodyHash,
  };
}
