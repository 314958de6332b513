/**
 * Fetch API adapter: anything that hands you a `Request` (Hono, Bun.serve,
 * Deno.serve, Next.js route handlers, Cloudflare-style workers on Node).
 *
 * The URL checked is `request.url` as the runtime built it; behind a proxy,
 * or to pin the public URL, give the verifier `publicUrl` or `trustProxy`.
 *
 * @module oauth1/fetch
 */
import type { OAuthError } from '../core/errors.js';
import type { BodyLike } from '../core/request.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { adapterExtra, adapterSettings, bodyConsumedError, needsBody, readFetchBody, type AdapterOptions, type AdapterVerifier } from './contract.js';

export { OAuthError, type AdapterExtra, type AdapterOptions, type AdapterVerifier, type VerifiedRequest } from './contract.js';

/**
 * Options of {@link verifyFetchRequest}.
 *
 * @example The peer's address for the lookups (Hono on Node)
 * ```ts
 * await verifyFetchRequest(verifier, c.req.raw, { extra: { remoteAddress: getConnInfo(c).remote.address } });
 * ```
 * @group Adapters
 */
export interface FetchAdapterOptions extends AdapterOptions {
  /** The body when it was read already (raw text or bytes, or flat form fields): the request is then left alone. */
  body?: BodyLike;
}

/**
 * Verifies a Fetch `Request`. The body is read from a clone (the request
 * stays readable for the handler), within the limit, and only when the
 * signature covers it: a form, or an `oauth_body_hash`. Lookups get
 * `{ remoteAddress: undefined, adapter: 'fetch', context: request }` (plus `options.extra`, e.g. the remote address) as `ctx.extra`.
 *
 * @example Hono
 * ```ts
 * import { verifyFetchRequest, oauthErrorResponse } from 'oauth1/fetch';
 * import { OAuthError } from 'oauth1';
 * app.use('/api/*', async (c, next) => {
 *   try {
 *     c.set('oauth', await verifyFetchRequest(verifier, c.req.raw));
 *   } catch (err) {
 *     if (err instanceof OAuthError) return oauthErrorResponse(err);
 *     throw err;
 *   }
 *   await next();
 * });
 * ```
 * @example Next.js route handler
 * ```ts
 * export async function GET(request: Request) {
 *   const oauth = await verifyFetchRequest(verifier, request).catch((err) => err);
 *   if (oauth instanceof OAuthError) return oauthErrorResponse(oauth);
 *   if (oauth instanceof Error) throw oauth;
 *   return Response.json({ client: oauth.consumerKey });
 * }
 * ```
 * @throws {@link OAuthError} 400/401 for a request that fails verification.
 * @group Adapters
 */
export async function verifyFetchRequest<R = VerifiedRequest>(
  verifier: AdapterVerifier<R>,
  request: Request,
  opts: FetchAdapterOptions = {},
): Promise<R> {
  const settings = adapterSettings(verifier, opts);
  let body = opts.body;
  if (body === undefined && needsBody(verifier, request.headers, request.url)) {
    if (request.bodyUsed) throw bodyConsumedError('pass the body as options.body');
    body = await readFetchBody(request, settings.limit, verifier.realm);
  }
  const extra = adapterExtra('fetch', request, undefined, settings);
  return verifier.verify({ method: request.method, url: request.url, headers: request.headers, body }, extra);
}

/**
 * The `Response` for a failed verification: its status, `WWW-Authenticate`,
 * `Cache-Control: no-store` and a small form-encoded problem report.
 *
 * @example
 * ```ts
 * if (err instanceof OAuthError) return oauthErrorResponse(err);
 * ```
 * @group Adapters
 */
export function oauthErrorResponse(err: OAuthError): Response {
  return new Response(err.body, { status: err.status, headers: err.headers });
}
