/**
 * A `fetch` that signs every request it sends.
 * @module
 */
import { invalidArgType } from '../core/errors.js';
import type { BodyLike } from '../core/request.js';
import { boolean, object } from '../core/validate.js';
import type { BodyHashAlgorithm, SignatureMethod } from '../methods/types.js';
import { fetchOf, secretsOf, type Fetch } from './flow.js';
import { readBounded, refusalFrom } from './provider-answer.js';
import { signAsync, type ClientCredentials, type SignOptions, type TokenCredentials } from './sign.js';

/** Options of {@link createSignedFetch}. @group Flow */
export interface SignedFetchOptions {
  client: ClientCredentials;
  token?: TokenCredentials;
  signatureMethod?: SignatureMethod;
  /** Add `oauth_body_hash` to requests whose body is not a form (never to forms). */
  bodyHash?: boolean | BodyHashAlgorithm;
  realm?: string;
  /** Default `'header'`. */
  placement?: SignOptions['placement'];
  /** Default true: send `oauth_version="1.0"` (WooCommerce asks to leave it out). */
  includeVersion?: boolean;
  /**
   * Default true: when the provider refuses the request — a 401, or another
   * 4xx that carries `oauth_problem` — throw a {@link ProviderRefusal} with
   * what it said (and the base-string comparison when it returned its base
   * string) instead of resolving with the Response. Other answers (200, 404,
   * 500, …) are returned as they are.
   */
  throwOnRefusal?: boolean;
  fetch?: Fetch;
}

/** Whether an answer is the provider refusing the OAuth request (not an API error). */
async function isRefusal(res: Response): Promise<boolean> {
  if (res.status === 401) return true;
  if (res.status < 400 || res.status >= 500) return false;
  if (/oauth_problem/.test(res.headers.get('www-authenticate') ?? '')) return true;
  return /oauth_problem/.test(await readBounded(res.clone(), 4096));
}

async function bodyOf(body: unknown, path: string): Promise<BodyLike> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  throw invalidArgType(path, 'a string, URLSearchParams, Blob or bytes (a stream or FormData cannot be signed: its bytes are not known in advance)');
}

/**
 * A `fetch` that signs every request it sends: query and form bodies are
 * signed, other bodies are sent as they are (with `oauth_body_hash` when
 * asked). When the provider refuses a request it throws a
 * {@link ProviderRefusal} that says why (see `throwOnRefusal`).
 *
 * @example Calling X/Twitter v1.1 as a user
 * ```ts
 * const xfetch = createSignedFetch({ client: { key, secret }, token: { key: t, secret: ts } });
 * const res = await xfetch('https://api.x.com/1.1/statuses/update.json', {
 *   method: 'POST', body: new URLSearchParams({ status: 'Hello' }) });
 * ```
 * @see RFC 5849 §3
 * @group Flow
 */
export function createSignedFetch(opts: SignedFetchOptions): Fetch {
  object(opts, 'options');
  object(opts.client, 'options.client', 'an object with a key');
  const doFetch = fetchOf(opts.fetch, 'options.fetch');
  const base: SignOptions = { client: opts.client };
  if (opts.token !== undefined) base.token = opts.token;
  if (opts.signatureMethod !== undefined) base.signatureMethod = opts.signatureMethod;
  if (opts.bodyHash !== undefined) base.bodyHash = opts.bodyHash;
  if (opts.realm !== undefined) base.realm = opts.realm;
  if (opts.placement !== undefined) base.placement = opts.placement;
  if (opts.includeVersion !== undefined) base.includeVersion = opts.includeVersion;
  const throwOnRefusal = boolean(opts.throwOnRefusal, 'options.throwOnRefusal', true);
  const secrets = secretsOf(opts.client, opts.token);

  const signedFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    const url = request ? request.url : String(input);
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(request?.headers);
    new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    let body = await bodyOf(init.body !== undefined ? init.body : request && request.body !== null ? await request.clone().arrayBuffer() : undefined, 'init.body');
    // fetch gives these bodies their Content-Type; the signature must see the same one.
    if (!headers.has('content-type')) {
      if (body instanceof URLSearchParams) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
      else if (typeof body === 'string') headers.set('content-type', 'text/plain;charset=UTF-8');
    }
    if (body instanceof URLSearchParams) body = body.toString();
    const signed = await signAsync({ method, url, headers: [...headers], body }, base);
    const { body: _b, headers: _h, method: _m, ...rest } = init;
    const out: RequestInit = { ...rest, method, headers: signed.headers };
    if (signed.body !== null) out.body = signed.body;
    const res = await doFetch(signed.url, out);
    if (throwOnRefusal && (await isRefusal(res))) {
      const target = new URL(signed.url);
      throw await refusalFrom(res, { step: `${method} ${target.origin}${target.pathname}`, ourBaseString: signed.baseString }, secrets);
    }
    return res;
  };
  return signedFetch as Fetch;
}

