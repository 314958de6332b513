/**
 * What every HTTP-client integration shares: options checked once, and one
 * function that signs the request a client is about to send — its final
 * URL, method, headers and the bytes of its body.
 * @module
 */
import { sign, type SignOptions } from '../client/sign.js';
import { formatForm } from '../core/encoding.js';
import { invalidArgType, invalidArgValue } from '../core/errors.js';
import { isFormContentType } from '../core/request.js';

/**
 * Options of the HTTP-client integrations: those of `sign()` (a
 * provider profile's `signOptions()` gives them), with the protocol
 * parameters in the Authorization header (default) or the query. A fixed
 * `nonce` or `timestamp` would repeat on every request, so they are refused.
 * @group HTTP clients
 */
export type HttpClientSignOptions = Omit<SignOptions, 'placement' | 'nonce' | 'timestamp'> & { placement?: 'header' | 'query' };

/** A request as a client is about to send it. @internal */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL, query included, as it goes on the wire. */
  url: string;
  headers: Record<string, string>;
  /** The body bytes; `undefined` for none; {@link UNKNOWN_BODY} for a stream whose bytes are not known yet. */
  body: string | Uint8Array | undefined | typeof UNKNOWN_BODY;
}

/** What to change on the outgoing request. @internal */
export interface SigningResult {
  /** The URL to send (changed only with query placement). */
  url: string;
  /** The Authorization header to set (header placement). */
  authorization: string | undefined;
}

/** Marks a body the signer cannot read (a stream, FormData). @internal */
export const UNKNOWN_BODY: unique symbol = Symbol('oauth1.unknownBody');

/** Checks the options once and returns the signer. @internal */
export function createRequestSigner(options: HttpClientSignOptions, path = 'options', streamHint = ''): (req: OutgoingRequest) => SigningResult {
  if (typeof options !== 'object' || options === null) throw invalidArgType(path, 'an object with client credentials');
  const placement = options.placement ?? 'header';
  if (placement !== 'header' && placement !== 'query') {
    throw invalidArgValue(`${path}.placement`, `must be 'header' or 'query' (an HTTP client's body is not rewritten)`);
  }
  for (const name of ['nonce', 'timestamp'] as const) {
    if ((options as SignOptions)[name] !== undefined) throw invalidArgValue(`${path}.${name}`, 'would repeat on every request; leave it out');
  }
  const base: SignOptions = { ...options, placement };
  // Options are checked here, once: a dry run reports a programmer's mistake before any request.
  sign({ method: 'GET', url: 'https://options.check.invalid/' }, base);

  return (req) => {
    let url = req.url;
    // A retry runs the hook again on a URL that already carries the last signing's parameters.
    if (placement === 'query') url = withoutProtocolParams(url);
    let body = req.body;
    if (body === UNKNOWN_BODY) {
      const contentType = headerValue(req.headers, 'content-type');
      if (isFormContentType(contentType) || (options.bodyHash !== undefined && options.bodyHash !== false)) {
        throw invalidArgValue(
          'request.body',
          isFormContentType(contentType)
            ? `is a stream under application/x-www-form-urlencoded: its parameters must be signed, so pass the form as text, bytes or URLSearchParams${streamHint}`
            : `is a stream, and oauth_body_hash needs its bytes: pass the body as text or bytes${streamHint}`,
        );
      }
      body = undefined; // not a form and no body hash: the bytes take no part in the signature
    }
    const signed = sign({ method: req.method, url, headers: withoutAuthorization(req.headers), body }, base);
    return { url: signed.url, authorization: signed.headers['Authorization'] };
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'authorization') out[k] = v;
  return out;
}

/** Removes `oauth_*` parameters from a URL's query, keeping everything else as written. @internal */
export function withoutProtocolParams(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  const kept = query.split('&').filter((pair) => pair.length > 0 && !pair.startsWith('oauth_'));
  return `${url.slice(0, q)}${kept.length ? `?${kept.join('&')}` : ''}${hash === -1 ? '' : url.slice(hash)}`;
}

/** Headers of many shapes (plain objects with arrays, flat arrays, Headers) as one record. @internal */
export function headersRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  const add = (k: unknown, v: unknown) => {
    if (v === undefined || v === null) return;
    const name = String(k);
    const value = Array.isArray(v) ? v.map(String).join(', ') : String(v);
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) for (const [k, v] of headers as Array<[unknown, unknown]>) add(k, v);
    else for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i], headers[i + 1]);
    return out;
  }
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((v, k) => add(k, v));
    return out;
  }
  if (typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) add(k, v);
    return out;
  }
  throw invalidArgType('request.headers', 'an object, an array or a Headers');
}

/** A query object the way Node's querystring reads it (arrays repeat the name), encoded per RFC 3986. @internal */
export function encodeQueryObject(query: unknown, path: string): string {
  if (query === undefined || query === null) return '';
  if (query instanceof URLSearchParams) return formatForm([...query]);
  if (typeof query !== 'object') throw invalidArgType(path, 'an object or URLSearchParams');
  const pairs: Array<[string, string]> = [];
  const scalar = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '');
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (Array.isArray(v)) for (const item of v) pairs.push([k, scalar(item)]);
    else pairs.push([k, scalar(v)]);
  }
  return formatForm(pairs);
}

/** Bytes of a body a client holds in memory, or {@link UNKNOWN_BODY}. @internal */
export function bodyBytes(body: unknown): string | Uint8Array | undefined | typeof UNKNOWN_BODY {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return UNKNOWN_BODY;
}
