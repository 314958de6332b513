/**
 * undici: a dispatcher interceptor that signs every request the dispatcher
 * sends (`request`, `fetch`, `stream`, … through `agent.compose(...)`).
 *
 * undici is an optional peer dependency: this module only uses the
 * dispatch options undici hands to interceptors and never imports undici.
 * @module oauth1/undici
 */
import type { Dispatcher } from 'undici';
import { invalidArgValue } from '../core/errors.js';
import { bodyBytes, createRequestSigner, encodeQueryObject, headersRecord, type HttpClientSignOptions } from './shared.js';

export type { HttpClientSignOptions } from './shared.js';

/** An undici interceptor: it wraps a dispatch function. @group HTTP clients */
export type UndiciInterceptor = (dispatch: Dispatcher['dispatch']) => Dispatcher['dispatch'];

/**
 * A dispatcher interceptor that signs the request undici is about to send:
 * `origin` + `path` with the `query` option folded into the path (encoded
 * by the interceptor, so the signed query is the sent query), the method,
 * the headers, and a body held in memory (a string, bytes or
 * `URLSearchParams`). A stream body is sent unsigned when it is not a form
 * and no body hash is asked for, and refused otherwise — undici's `fetch`
 * always hands dispatchers a stream, so a form or hashed body sent with
 * `fetch` is refused: sign those with `createSignedFetch({ fetch })`.
 *
 * @example
 * ```ts
 * import { Agent, request } from 'undici';
 * import { undiciInterceptor } from 'oauth1/undici';
 * const dispatcher = new Agent().compose(undiciInterceptor({ client, token }));
 * await request('https://api.example.com/items', { dispatcher, query: { page: 2 } });
 * ```
 * @see RFC 5849 §3
 * @group HTTP clients
 */
export function undiciInterceptor(options: HttpClientSignOptions): UndiciInterceptor {
  const signRequest = createRequestSigner(options, 'options', " (undici's fetch always hands a stream to dispatchers: sign fetch calls with createSignedFetch({ fetch: undici.fetch, ... }))");
  return (dispatch) => (opts, handler) => {
    const origin = opts.origin === undefined ? undefined : String(opts.origin);
    if (origin === undefined) throw invalidArgValue('request.origin', 'is required to sign (use an Agent or Pool with an origin)');
    let path = opts.path;
    const query = (opts as { query?: unknown }).query;
    const encoded = encodeQueryObject(query, 'request.query');
    if (encoded.length) path = `${path}${path.includes('?') ? '&' : '?'}${encoded}`;
    const url = new URL(path, origin).href;
    const headers = headersRecord(opts.headers);
    const body = opts.body instanceof URLSearchParams ? opts.body.toString() : opts.body;
    if (opts.body instanceof URLSearchParams && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    }
    const signed = signRequest({ method: opts.method, url, headers, body: bodyBytes(body) });
    const out = new URL(signed.url);
    const next: Dispatcher.DispatchOptions = { ...opts, path: `${out.pathname}${out.search}`, headers: { ...headers } };
    delete (next as { query?: unknown }).query;
    if (body !== opts.body) next.body = body as string;
    if (signed.authorization !== undefined) {
      for (const k of Object.keys(next.headers as Record<string, string>)) if (k.toLowerCase() === 'authorization') delete (next.headers as Record<string, string>)[k];
      (next.headers as Record<string, string>)['authorization'] = signed.authorization;
    }
    return dispatch(next, handler);
  };
}
