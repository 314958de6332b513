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
import { receivedTarget, withOrigin } from '../core/target.js';
import { adapterExtra, adapterSettings, bodyConsumedError, needsBody, readFetchBody, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';

export {
  OAuthError,
  type AdapterExtra,
  type AdapterName,
  type AdapterOptions,
  type AdapterVerifier,
  type VerifiedRequest,
} from './contract.js';

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
  /**
   * The Node request behind this `Request` (on @hono/node-server,
   * `c.env.incoming`; found by itself when the request came from
   * @hono/node-server): its socket decides the scheme and gives the peer's
   * address. The request URL alone cannot be trusted for the scheme there:
   * an absolute-form target (`GET https://…` over plain TCP) sets it.
   */
  incoming?: NodeRequestLike | undefined;
  /**
   * Whether the connection was TLS, when the runtime knows and the URL may
   * not say (a Node server without `incoming`). Default: the scheme of
   * `request.url`, as the runtime built it (Deno, Bun, workers).
   */
  secure?: boolean | undefined;
}

/** The Node request @hono/node-server keeps on the `Request` it builds (an own symbol property), if any. */
function honoNodeIncoming(request: Request): NodeRequestLike | undefined {
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    if (symbol.description !== 'incomingKey') continue;
    const value = (request as unknown as Record<symbol, unknown>)[symbol];
    if (typeof value === 'object' && value !== null && 'socket' in value) return value as NodeRequestLike;
  }
  return undefined;
}

/** The request URL with the scheme the transport says, and the peer's address when known. */
function transportFacts(request: Request, opts: FetchAdapterOptions): { url: string; remoteAddress: string | undefined } {
  const incoming = opts.incoming ?? honoNodeIncoming(request);
  const secure = incoming !== undefined ? incoming.socket?.encrypted === true : opts.secure;
  const url = secure === undefined ? request.url : withOrigin(receivedTarget(request.url), { protocol: secure ? 'https:' : 'http:' }).href;
  return { url, remoteAddress: incoming?.socket?.remoteAddress ?? undefined };
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
 *   return Response.json({ client: oauth.clientKey });
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
  const { url, remoteAddress } = transportFacts(request, opts);
  let body = opts.body;
  if (body === undefined && needsBody(verifier, request.headers, url)) {
    if (request.bodyUsed) throw bodyConsumedError('pass the body as options.body');
    body = await readFetchBody(request, settings.limit, verifier.realm);
  }
  const extra = adapterExtra('fetch', request, remoteAddress, settings);
  return verifier.verify({ method: request.method, url, headers: request.headers, body }, extra);
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
