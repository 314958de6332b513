/**
 * The signature base string (RFC 5849 §3.4.1).
 * @module
 */
import { percentEncode } from './encoding.js';
import { invalidArgType } from './errors.js';
import { encodedNormalizedParameters, type EncodedParameters } from './parameters.js';
import { toParams, type Params, type ParamsInit } from './request.js';
import { normalizedTarget, type RequestTarget } from './target.js';

/** The base string URI of a split request URL: scheme, host, port unless default, path. @internal */
export function targetUri(t: RequestTarget): string {
  return `${t.protocol}//${t.hostname}${t.port ? `:${t.port}` : ''}${t.path}`;
}

/**
 * The base string URI: scheme and host lowercased, the default port (80 for
 * http, 443 for https) removed and any other port kept, an empty path made
 * `/`, the path kept as sent (escapes not decoded, `+` stays `+`), user
 * information, query and fragment removed.
 *
 * @example
 * ```ts
 * baseStringUri('HTTP://EXAMPLE.com:80/r%20v/X?id=123'); // 'http://example.com/r%20v/X'
 * baseStringUri('https://www.example.net:8080/?q=1');    // 'https://www.example.net:8080/'
 * ```
 * @see RFC 5849 §3.4.1.2
 * @group Base string
 */
export function baseStringUri(url: string | URL): string {
  // WHATWG URL parsing lowercases the scheme and host, drops the default port
  // of http and https and turns an empty path into "/".
  return targetUri(normalizedTarget(url, 'url'));
}

/**
 * RFC 5849 §3.4.1.1: the method, the base string URI and the normalized
 * parameters, each encoded, joined by "&". @internal
 */
export function joinBaseString(method: string, uri: string, params: Params | ParamsInit): string {
  // 1. The HTTP request method in uppercase.
  // 2. An "&" character.
  // 3. The base string URI from Section 3.4.1.2, after being encoded (Section 3.6).
  // 4. An "&" character.
  // 5. The request parameters as normalized in Section 3.4.1.3.2, after being encoded (Section 3.6).
  // (5 in one pass: each name and value encoded twice, see encodedNormalizedParameters.)
  const pairs = Array.isArray(params) ? (params as Params) : toParams(params as ParamsInit);
  return `${percentEncode(method.toUpperCase())}&${percentEncode(uri)}&${encodedNormalizedParameters(pairs)}`;
}

/**
 * The signature base string: the uppercased method, the base string URI and
 * the normalized parameters, each percent-encoded and joined by `&`.
 *
 * `params` is the whole parameter set of the request (as
 * {@link collectParameters} returns it, plus the protocol parameters being
 * signed); the query of `url` is not read again.
 *
 * @example
 * ```ts
 * signatureBaseString({ method: 'get', url: 'http://example.com/r?a=1', params: [['a', '1']] });
 * // 'GET&http%3A%2F%2Fexample.com%2Fr&a%3D1'
 * ```
 * @see RFC 5849 §3.4.1
 * @group Base string
 */
export function signatureBaseString(req: { method: string; url: string | URL; params: Params | ParamsInit }): string {
  if (typeof req?.method !== 'string' || req.method.length === 0) throw invalidArgType('req.method', 'a non-empty string');
  if (typeof req.params !== 'object' || req.params === null) throw invalidArgType('req.params', 'an array of [name, value] pairs, a URLSearchParams or an object');
  return joinBaseString(req.method, baseStringUri(req.url), req.params);
}

/** {@link joinBaseString} of parameters already gathered twice-encoded (the method uppercase already). @internal */
export function joinBaseStringEncoded(method: string, uri: string, params: EncodedParameters): string {
  return `${percentEncode(method)}&${percentEncode(uri)}&${params.join()}`;
}
