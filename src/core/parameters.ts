/**
 * Request parameters (RFC 5849 §3.4.1.3): collecting them from the query, a
 * form body and the Authorization header, and normalizing them.
 * @module
 */
import { parseForm, percentEncode, percentEncodeTwice } from './encoding.js';
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
  // 2. The parameters are sorted by name, using ascending byte value ordering.
  //    If two or more parameters share the same name, they are sorted by their value.
  // 3. The name of each parameter is concatenated to its corresponding value using an "=" character.
  // 4. The sorted name/value pairs are concatenated together into a single string by using an "&" character.
  const list = new EncodedParameters(percentEncode, '=', '&');
  for (const [name, value] of pairs) list.add(name, value);
  return list.join();
}

/**
 * The normalized parameters as the signature base string carries them:
 * `percentEncode(normalizeParameters(params))`, computed in one pass (each
 * name and value is encoded twice at once, and the `=` and `&` joining them
 * are written encoded). Sorting the twice-encoded strings gives the order of
 * the once-encoded ones: the second encoding leaves every character of the
 * first alone except `%`, which becomes `%25`, and `%` sorts below every
 * character it can be compared with (the unreserved set, all above 0x2D).
 * @internal
 */
export function encodedNormalizedParameters(params: Params): string {
  const list = new EncodedParameters();
  for (const [name, value] of params) list.add(name, value);
  return list.join();
}

/** Lists up to this long are sorted by insertion (a typical request has about ten parameters). */
const INSERTION_SORT_MAX = 24;

/**
 * Parameters kept encoded (by default twice, as in the base string; see
 * {@link encodedNormalizedParameters}) as they are added, in two parallel
 * arrays; `join` sorts them by name, then value, and joins them. UTF-16 code
 * unit order is byte order here: the encoders emit ASCII only.
 * @internal
 */
export class EncodedParameters {
  private readonly names: string[] = [];
  private readonly values: string[] = [];

  constructor(
    private readonly encode: (s: string) => string = percentEncodeTwice,
    private readonly eq = '%3D',
    private readonly amp = '%26',
  ) {}

  /** Adds a decoded pair. */
  add(name: string, value: string): void {
    this.names.push(this.encode(name));
    this.values.push(this.encode(value));
  }

  /** Adds a pair encoded already (as this list encodes). */
  addEncoded(name: string, value: string): void {
    this.names.push(name);
    this.values.push(value);
  }

  /** Sorted and joined: `name=value&…` in this list's encoding. */
  join(): string {
    const { names, values, eq, amp } = this;
    const n = names.length;
    if (n === 0) return '';
    if (n <= INSERTION_SORT_MAX) insertionSort(names, values);
    else {
      // n log n comparisons for long lists (Array#sort is a stable merge sort).
      const order = names.map((_, i) => i).sort((a, b) => compare(names, values, a, b));
      const sortedNames = order.map((i) => names[i] ?? '');
      const sortedValues = order.map((i) => values[i] ?? '');
      for (let i = 0; i < n; i++) {
        names[i] = sortedNames[i] ?? '';
        values[i] = sortedValues[i] ?? '';
      }
    }
    let out = `${names[0]}${eq}${values[0]}`;
    for (let i = 1; i < n; i++) out += `${amp}${names[i]}${eq}${values[i]}`;
    return out;
  }
}

/** Order of entries `a` and `b`: by name, then by value. */
function compare(names: readonly string[], values: readonly string[], a: number, b: number): number {
  const na = names[a] ?? '';
  const nb = names[b] ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const va = values[a] ?? '';
  const vb = values[b] ?? '';
  return va < vb ? -1 : va > vb ? 1 : 0;
}

/** Sorts the parallel arrays in place by name, then value (stable). */
function insertionSort(names: string[], values: string[]): void {
  for (let i = 1; i < names.length; i++) {
    const name = names[i] ?? '';
    const value = values[i] ?? '';
    let j = i - 1;
    for (; j >= 0; j--) {
      const nj = names[j] ?? '';
      if (nj < name || (nj === name && (values[j] ?? '') <= value)) break;
      names[j + 1] = nj;
      values[j + 1] = values[j] ?? '';
    }
    names[j + 1] = name;
    values[j + 1] = value;
  }
}

/** The second encoding of a once-encoded string: its `%`s become `%25`. @internal */
export function encodeEncoded(once: string): string {
  return once.includes('%') ? once.replaceAll('%', '%25') : once;
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
