/**
 * ky: hooks that sign the request ky is about to send.
 *
 * ky is an optional peer dependency: this module only uses the Fetch
 * `Request` ky hands to its hooks and never imports ky.
 * @module oauth1/ky
 */
import type { BeforeRequestHook, Hooks } from 'ky';
import { createRequestSigner, headersRecord, type HttpClientSignOptions } from './shared.js';

export type { HttpClientSignOptions } from './shared.js';

/**
 * A `beforeRequest` hook that signs the `Request` ky built: its URL with
 * ky's `searchParams` and `prefixUrl` applied, its method and headers, and
 * its body, read from a clone (`json` has become text by then). It returns
 * a new `Request` with the Authorization header (or the signed URL), so
 * the request ky sends is the one signed.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import { kyHooks } from 'oauth1/ky';
 * const api = ky.create({ prefixUrl: 'https://api.example.com', hooks: kyHooks({ client, token }) });
 * await api.get('items', { searchParams: { page: 2 } }).json();
 * ```
 * @see RFC 5849 §3
 * @group HTTP clients
 */
export function kyHooks(options: HttpClientSignOptions): Pick<Hooks, 'beforeRequest'> {
  const signRequest = createRequestSigner(options);
  const beforeRequest: BeforeRequestHook = async (request) => {
    const body = request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer());
    const signed = signRequest({ method: request.method, url: request.url, headers: headersRecord(request.headers), body });
    const headers = new Headers(request.headers);
    if (signed.authorization !== undefined) {
      headers.set('authorization', signed.authorization);
      // Same URL: the new Request takes everything else (body, signal, mode, …) from ky's.
      return new Request(request, { headers });
    }
    const init: RequestInit = {
      method: request.method, headers, signal: request.signal, redirect: request.redirect, credentials: request.credentials,
      mode: request.mode, cache: request.cache, referrer: request.referrer, referrerPolicy: request.referrerPolicy, integrity: request.integrity, keepalive: request.keepalive,
    };
    if (body !== undefined) init.body = body;
    return new Request(signed.url, init);
  };
  return { beforeRequest: [beforeRequest] };
}
