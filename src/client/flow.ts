/**
 * The client side of RFC 5849 §2 (temporary credentials, resource-owner
 * authorization, token credentials), a fetch that signs every request, and
 * credential generation for providers.
 * @module
 */
import { random } from '../methods/crypto/node.js';
import { formatForm, parseForm } from '../core/encoding.js';
import { OAuthError, invalidArgType, invalidArgValue } from '../core/errors.js';
import { parseAuthorizationHeader } from '../core/header.js';
import { sign, type ClientCredentials, type SignOptions, type TokenCredentials } from './sign.js';
import { appendQuery, type BodyLike, type Params } from '../core/request.js';
import type { BodyHashAlgorithm, SignatureMethod } from '../methods/registry.js';

type Fetch = typeof fetch;

/** Options shared by the §2 requests. @group Flow */
export interface FlowRequestOptions {
  url: string;
  client: ClientCredentials;
  signatureMethod?: SignatureMethod;
  realm?: string;
  /** Default: the global `fetch`. */
  fetch?: Fetch;
  /** Default `'header'`. */
  placement?: SignOptions['placement'];
}

/** The provider's answer to a temporary credentials request. @group Flow */
export interface TemporaryCredentials {
  key: string;
  secret: string;
  callbackConfirmed: boolean;
  /** Every parameter of the answer, as sent. */
  params: Params;
}

/** The provider's answer to a token credentials request. @group Flow */
export interface IssuedTokenCredentials {
  key: string;
  secret: string;
  /** Every parameter of the answer (providers add their own, e.g. `user_id`, `screen_name`). */
  params: Params;
}

function fetchOf(f: Fetch | undefined, path: string): Fetch {
  const chosen = f ?? globalThis.fetch;
  if (typeof chosen !== 'function') throw invalidArgType(path, 'a fetch function (no global fetch is available)');
  return chosen;
}

/** Turns a provider's error answer into an OAuthError with its status and oauth_problem. */
async function providerError(res: Response, what: string): Promise<OAuthError> {
  let problem: string | undefined;
  let advice: string | undefined;
  const text = await res.text().catch(() => '');
  try {
    const fields = new Map(parseForm(text.trim()));
    problem = fields.get('oauth_problem');
    advice = fields.get('oauth_problem_advice');
  } catch {
    // not a form body: fall back to the header
  }
  if (problem === undefined) {
    const header = res.headers.get('www-authenticate');
    try {
      problem = header ? new Map(parseAuthorizationHeader(header)?.params ?? []).get('oauth_problem') : undefined;
    } catch {
      problem = undefined;
    }
  }
  const code = problem ?? (res.status === 401 ? 'signature_invalid' : 'parameter_rejected');
  return new OAuthError(res.status, code, `the provider refused the ${what} with ${res.status}${problem ? ` (${problem})` : ''}`, advice ? { advice } : {});
}

async function credentialsAnswer(res: Response, what: string): Promise<{ key: string; secret: string; fields: Map<string, string>; params: Params }> {
  if (!res.ok) throw await providerError(res, what);
  const text = (await res.text()).trim();
  let params: Array<[string, string]>;
  try {
    params = parseForm(text);
  } catch {
    throw new OAuthError(502, 'parameter_rejected', `the provider's answer to the ${what} is not a valid form body`);
  }
  const fields = new Map(params);
  const key = fields.get('oauth_token');
  const secret = fields.get('oauth_token_secret');
  if (!key || secret === undefined) {
    throw new OAuthError(502, 'parameter_absent', `the provider's answer to the ${what} lacks oauth_token or oauth_token_secret`, {
      parametersAbsent: ['oauth_token', 'oauth_token_secret'].filter((n) => !fields.has(n)),
    });
  }
  return { key, secret, fields, params };
}

async function post(opts: FlowRequestOptions, extra: Partial<SignOptions>, path: string): Promise<Response> {
  if (typeof opts !== 'object' || opts === null) throw invalidArgType(path, 'an object');
  if (typeof opts.url !== 'string') throw invalidArgType(`${path}.url`, 'a string');
  const signed = sign(
    { method: 'POST', url: opts.url },
    {
      client: opts.client,
      ...(opts.signatureMethod !== undefined ? { signatureMethod: opts.signatureMethod } : {}),
      ...(opts.realm !== undefined ? { realm: opts.realm } : {}),
      ...(opts.placement !== undefined ? { placement: opts.placement } : {}),
      ...extra,
    },
  );
  const init: RequestInit = { method: 'POST', headers: signed.headers };
  if (signed.body !== undefined) init.body = signed.body as BodyInit;
  return fetchOf(opts.fetch, `${path}.fetch`)(signed.url, init);
}

/**
 * Step 1 of RFC 5849 §2: asks the provider for temporary credentials. The
 * callback defaults to `'oob'` (out of band). A provider that does not
 * confirm the callback (`oauth_callback_confirmed=true`, required by §2.1)
 * is refused unless `requireCallbackConfirmed` is false (OAuth 1.0 providers
 * from before RFC 5849 never send it).
 *
 * @example
 * ```ts
 * const temp = await requestTemporaryCredentials({
 *   url: 'https://api.example.com/oauth/request_token', client: { key, secret }, callback: 'https://app.example/cb' });
 * location.href = authorizationUrl('https://api.example.com/oauth/authorize', temp.key);
 * ```
 * @throws {@link OAuthError} with the provider's status and `oauth_problem` when it refuses.
 * @see RFC 5849 §2.1
 * @group Flow
 */
export async function requestTemporaryCredentials(
  opts: FlowRequestOptions & { callback?: string; requireCallbackConfirmed?: boolean },
): Promise<TemporaryCredentials> {
  const res = await post(opts, { callback: opts?.callback ?? 'oob' }, 'options');
  const { key, secret, fields, params } = await credentialsAnswer(res, 'temporary credentials request');
  const callbackConfirmed = fields.get('oauth_callback_confirmed') === 'true';
  if (!callbackConfirmed && opts.requireCallbackConfirmed !== false) {
    throw new OAuthError(502, 'parameter_absent', 'the provider did not confirm the callback (oauth_callback_confirmed=true, RFC 5849 §2.1)', {
      parametersAbsent: ['oauth_callback_confirmed'],
    });
  }
  return { key, secret, callbackConfirmed, params };
}

/**
 * Step 2 of RFC 5849 §2: the URL to send the resource owner to, with
 * `oauth_token` added to any query the endpoint already has.
 *
 * @example
 * ```ts
 * authorizationUrl('https://api.x.com/oauth/authorize', temp.key, { force_login: 'true' });
 * ```
 * @see RFC 5849 §2.2
 * @group Flow
 */
export function authorizationUrl(url: string, temporaryKey: string, extra: Record<string, string> = {}): string {
  if (typeof url !== 'string') throw invalidArgType('url', 'a string');
  if (typeof temporaryKey !== 'string' || temporaryKey.length === 0) throw invalidArgType('temporaryKey', 'a non-empty string');
  try {
    new URL(url);
  } catch {
    throw invalidArgValue('url', 'must be an absolute URL');
  }
  return appendQuery(url, formatForm([['oauth_token', temporaryKey], ...Object.entries(extra)]));
}

/**
 * Step 3 of RFC 5849 §2: exchanges the temporary credentials and the
 * verifier the resource owner brought back for token credentials.
 *
 * @example
 * ```ts
 * const token = await requestTokenCredentials({ url: 'https://api.example.com/oauth/access_token',
 *   client, temporary: temp, verifier: query.get('oauth_verifier')! });
 * ```
 * @throws {@link OAuthError} with the provider's status and `oauth_problem` when it refuses.
 * @see RFC 5849 §2.3
 * @group Flow
 */
export async function requestTokenCredentials(
  opts: FlowRequestOptions & { temporary: TokenCredentials; verifier: string },
): Promise<IssuedTokenCredentials> {
  if (typeof opts?.verifier !== 'string') throw invalidArgType('options.verifier', 'a string');
  const res = await post(opts, { token: opts.temporary, verifier: opts.verifier }, 'options');
  const { key, secret, params } = await credentialsAnswer(res, 'token credentials request');
  return { key, secret, params };
}

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
  fetch?: Fetch;
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
 * asked).
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
  if (typeof opts !== 'object' || opts === null) throw invalidArgType('options', 'an object');
  if (typeof opts.client !== 'object' || opts.client === null) throw invalidArgType('options.client', 'an object with a key');
  const doFetch = fetchOf(opts.fetch, 'options.fetch');
  const base: SignOptions = { client: opts.client };
  if (opts.token !== undefined) base.token = opts.token;
  if (opts.signatureMethod !== undefined) base.signatureMethod = opts.signatureMethod;
  if (opts.bodyHash !== undefined) base.bodyHash = opts.bodyHash;
  if (opts.realm !== undefined) base.realm = opts.realm;
  if (opts.placement !== undefined) base.placement = opts.placement;

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
    const signed = sign({ method, url, headers: [...headers], body }, base);
    const { body: _b, headers: _h, method: _m, ...rest } = init;
    const out: RequestInit = { ...rest, method, headers: signed.headers };
    if (signed.body !== undefined) out.body = signed.body as BodyInit;
    return doFetch(signed.url, out);
  };
  return signedFetch as Fetch;
}

/**
 * New client or token credentials for a provider: an identifier and a
 * shared secret from the system's CSPRNG, printable URL-safe ASCII
 * (base64url), 192 bits for the key and 256 bits for the secret, so a
 * guess succeeds with probability at most 2^-192.
 *
 * @example
 * ```ts
 * const { key, secret } = generateCredentials(); // store the secret, show it once
 * ```
 * @see RFC 5849 §4.5 (secrets must be hard to guess)
 * @group Flow
 */
export function generateCredentials(): { key: string; secret: string } {
  return { key: random(24).toString('base64url'), secret: random(32).toString('base64url') };
}
