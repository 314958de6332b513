/**
 * Request parameters (RFC 5849 §3.4.1.3): collecting them from the query, a
 * form body and the Authorization header, and normalizing them.
 * @module
 */
import { parseForm, percentEncode } from './encoding.js';
import { parseAuthorizationHeader, type ParsedAuthorization } from './header.js';
import { getHeader, readBody, toParams, type BodyView, type HttpRequestLike, type Params, type ParamsInit } from './request.js';
import { normalizedTarget, type RequestTarget } from './target.js';

/**
 * Normalizes parameters into the string the base string carries.
 *
 * @example
 * ```ts
 * normalizeParameters([['b', '2'], ['a', 'x y'], ['a', '1']]); // 'a=1&a=x%20y&b=2'
 * ```
 * @see RFC 5849 §3.4.1.3.2
 * @group Parameters
 */
export function normalizeParameters(params: Params | ParamsInit): string {
  const pairs = Array.isArray(params) ? (params as Params) : toParams(params as ParamsInit);
  // RFC 5849 §3.4.1.3.2
  // 1. First, the name and value of each parameter are encoded (Section 3.6).
  const encoded: Array<[string, string]> = pairs.map(([n, v]) => [percentEncode(n), percentEncode(v)]);
  // 2. The parameters are sorted by name, using ascending byte value ordering.
  //    If two or more parameters share the same name, they are sorted by their value.
  //    (Encoded strings are ASCII, so UTF-16 code unit order is byte order.)
  encoded.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  // 3. The name of each parameter is concatenated to its corresponding value using an "=" character.
  // 4. The sorted name/value pairs are concatenated together into a single string by using an "&" character.
  let out = '';
  for (const [n, v] of encoded) out += out.length === 0 ? `${n}=${v}` : `&${n}=${v}`;
  return out;
}

/** Parameters of a request, kept apart by where they were found. @internal */
export interface ParameterSources {
  /** The request URL, split (normalized for a signer, as received for a verifier). */
  url: RequestTarget;
  /** The Content-Type header, as read. */
  contentType: string | undefined;
  /** The URI query, decoded as application/x-www-form-urlencoded. */
  query: Array<[string, string]>;
  /** The body, when it is a form; else empty. */
  body: BodyView;
  /** The OAuth Authorization header, or null when there is none (or it is another scheme). */
  header: ParsedAuthorization | null;
}

/**
 * Reads every parameter source of a request once. A caller that has split
 * the URL, or read the Content-Type or Authorization header, passes it
 * instead of having it done again (`authorization: null` means "do not read
 * a header"); without `target`, the URL is normalized as a signer sends it.
 * @internal
 */
export function readParameterSources(
  req: HttpRequestLike,
  known: { target?: RequestTarget; contentType?: string | undefined; authorization?: string | null | undefined } = {},
): ParameterSources {
  const url = known.target ?? normalizedTarget(req.url);
  const query = url.query.length > 0 ? parseForm(url.query) : [];
  const contentType = 'contentType' in known ? known.contentType : getHeader(req.headers, 'content-type');
  const body = readBody(req.body, contentType);
  const authorization = 'authorization' in known ? known.authorization : getHeader(req.headers, 'authorization');
  const header = authorization == null ? null : parseAuthorizationHeader(authorization);
  return { url, contentType, query, body, header };
}

/** The signed parameters of already-read sources. @internal */
export function signedParameters(sources: ParameterSources): Array<[string, string]> {
  // RFC 5849 §3.4.1.3.1: query, then form body, then the header (without "realm");
  // "oauth_signature" MUST be excluded wherever it appears.
  const out: Array<[string, string]> = [];
  for (const p of sources.query) if (p[0] !== 'oauth_signature') out.push(p);
  if (sources.body.form) for (const p of sources.body.form) if (p[0] !== 'oauth_signature') out.push(p);
  if (sources.header) for (const [n, v] of sources.header.params) if (n !== 'oauth_signature') out.push([n, v]);
  return out;
}

/**
 * Collects the parameters that a signature covers: the URI query (decoded as
 * `application/x-www-form-urlencoded`, so `+` is a space), the body when its
 * Content-Type is `application/x-www-form-urlencoded`, and the OAuth
 * Authorization header without `realm`; `oauth_signature` is left out. Order
 * and repeated names are kept; a name in both query and body appears twice.
 *
 * @example
 * ```ts
 * collectParameters({ method: 'POST', url: 'https://api.example.com/x?b=1+2',
 *   headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=3' });
 * // [['b', '1 2'], ['a', '3']]
 * ```
 * @throws {@link OAuthError} 400 for a malformed encoding or header.
 * @see RFC 5849 §3.4.1.3.1
 * @group Parameters
 */
export function collectParameters(req: HttpRequestLike): Params {
  return signedParameters(readParameterSources(req));
}
