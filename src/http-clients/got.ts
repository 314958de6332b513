/**
 * got: hooks that sign the request got is about to send.
 *
 * got is an optional peer dependency: this module only uses the options
 * object got hands to its hooks and never imports got.
 * @module oauth1/got
 */
import type { BeforeRequestHook, Hooks } from 'got';
import { bodyBytes, createRequestSigner, headersRecord, type HttpClientSignOptions } from './shared.js';

export type { HttpClientSignOptions } from './shared.js';

/**
 * A `beforeRequest` hook that signs what got will send: `options.url` with
 * `searchParams` applied, the method, the headers, and the body got has
 * serialized by then (`json` and `form` become text before the hook runs).
 * A stream body is sent unsigned when it is not a form and no body hash is
 * asked for, and refused otherwise. On a retry the hook signs again with a
 * new nonce.
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { gotHooks } from 'oauth1/got';
 * const api = got.extend({ prefixUrl: 'https://api.example.com', hooks: gotHooks({ client, token }) });
 * await api.post('items', { json: { name: 'x' } });
 * ```
 * @see RFC 5849 §3
 * @group HTTP clients
 */
export function gotHooks(options: HttpClientSignOptions): Pick<Hooks, 'beforeRequest'> {
  const signRequest = createRequestSigner(options);
  const beforeRequest: BeforeRequestHook = (gotOptions) => {
    const url = gotOptions.url instanceof URL ? gotOptions.url.href : String(gotOptions.url);
    const headers = headersRecord(gotOptions.headers);
    const signed = signRequest({ method: gotOptions.method, url, headers, body: bodyBytes(gotOptions.body) });
    if (signed.url !== url) gotOptions.url = new URL(signed.url);
    if (signed.authorization !== undefined) gotOptions.headers['authorization'] = signed.authorization;
  };
  return { beforeRequest: [beforeRequest] };
}
