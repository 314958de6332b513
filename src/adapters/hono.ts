/**
 * Hono adapter: a middleware that verifies the request and types
 * `c.get('oauth')` from the verifier it was given (an LTI launch verifier
 * gives an `LtiLaunch`), with no registration.
 *
 * The body is read from a clone of `c.req.raw` (Hono's own `c.req.json()`,
 * `parseBody()`… still work in the handlers), and only when the signature
 * covers it. When a middleware before it read the body already, the bytes
 * Hono cached are used (`c.req.text()`, `json()`, `arrayBuffer()`,
 * `blob()`, and `parseBody()`, which reads bytes); a body read only with
 * `formData()` has no raw copy, and is reported as a `TypeError`.
 *
 * On @hono/node-server the transport facts come from the Node socket
 * (`c.env.incoming`): `https` only over TLS, the Host header and the request
 * target as received, and the peer's address for the lookups. Elsewhere
 * (Bun, Deno, workers) `c.req.url` is the runtime's. Behind a proxy, or to
 * pin the public URL, give the verifier `publicUrl` or `trustProxy`.
 *
 * hono is an optional peer dependency: this module imports its types only.
 *
 * @module oauth1/hono
 */
import type { Context, MiddlewareHandler } from 'hono';
import { OAuthError, invalidArgValue } from '../core/errors.js';
import type { BodyLike } from '../core/request.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { adapterExtra, adapterSettings, bodyConsumedError, needsBody, nodeRequestUrl, readFetchBody, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';
import { oauthErrorResponse } from './fetch.js';

export { oauthErrorResponse } from './fetch.js';
export {
  OAuthError,
  type AdapterExtra,
  type AdapterName,
  type AdapterOptions,
  type AdapterVerifier,
  type VerifiedRequest,
} from './contract.js';

/**
 * The Hono environment the middleware adds: `c.get('oauth')` is the
 * verifier's result.
 *
 * @example A sub-app whose every route is protected
 * ```ts
 * const api = new Hono<HonoOAuthEnv>();
 * api.use(honoMiddleware(verifier));
 * api.get('/me', (c) => c.json({ client: c.get('oauth').clientKey }));
 * ```
 * @group Adapters
 */
export interface HonoOAuthEnv<R = VerifiedRequest> {
  Variables: { oauth: R };
}

/**
 * Options of {@link honoMiddleware}.
 *
 * @example Rendering failures yourself
 * ```ts
 * honoMiddleware(verifier, { onError: (err, c) => c.json({ error: err.problem }, err.status as 401) });
 * ```
 * @group Adapters
 */
export interface HonoAdapterOptions extends AdapterOptions {
  /** Renders a failed verification instead of the default answer (status, `WWW-Authenticate`, problem report). */
  onError?: ((err: OAuthError, c: Context) => Response | Promise<Response>) | undefined;
}

/** @hono/node-server's bindings: the Node request, when the app runs there. */
function nodeIncoming(env: unknown): NodeRequestLike | undefined {
  const incoming = (env as { incoming?: Partial<NodeRequestLike> } | null | undefined)?.incoming;
  return typeof incoming === 'object' && incoming !== null && typeof incoming.headers === 'object' && incoming.socket !== undefined
    ? (incoming as NodeRequestLike)
    : undefined;
}

/** The bytes Hono cached when something read the body before the middleware (never a parsed form). */
async function cachedBody(c: Context): Promise<BodyLike> {
  const cache = c.req.bodyCache;
  if (cache.arrayBuffer !== undefined) return new Uint8Array(await cache.arrayBuffer);
  if (cache.blob !== undefined) return new Uint8Array(await (await cache.blob).arrayBuffer());
  if (cache.text !== undefined) return await cache.text;
  const reader = Object.keys(cache)[0] ?? 'body';
  throw bodyConsumedError(
    `c.req.${reader}() of a middleware before honoMiddleware read it: mount honoMiddleware first, ` +
      'or have that middleware read c.req.text() or c.req.arrayBuffer() (Hono keeps those bytes)',
  );
}

async function requestBody(verifier: AdapterVerifier<unknown>, c: Context, url: string, limit: number): Promise<BodyLike> {
  if (!needsBody(verifier, c.req.raw.headers, url)) return undefined;
  if (!c.req.raw.bodyUsed) return readFetchBody(c.req.raw, limit, verifier.realm);
  return cachedBody(c);
}

/**
 * Hono middleware: verifies the request and sets `c.var.oauth` (typed from
 * the verifier) to its result; answers a failed verification itself
 * (status, `WWW-Authenticate`, `Cache-Control: no-store`, problem report)
 * and rethrows any other error to Hono's `onError`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoMiddleware } from 'oauth1/hono';
 * const app = new Hono()
 *   .use('/api/*', honoMiddleware(verifier))
 *   .get('/api/me', (c) => c.json({ client: c.get('oauth').clientKey }));
 * ```
 * @throws {@link OAuthError} never: failures are answered; other errors are rethrown.
 * @group Adapters
 */
export function honoMiddleware<R = VerifiedRequest>(verifier: AdapterVerifier<R>, opts: HonoAdapterOptions = {}): MiddlewareHandler<HonoOAuthEnv<R>> {
  const settings = adapterSettings(verifier, opts);
  if (settings.trustFrameworkProxy) {
    throw invalidArgValue('options.trustFrameworkProxy', "has no meaning for Hono, which has no trust-proxy setting of its own: give the verifier trustProxy or publicUrl");
  }
  const onError = opts.onError;
  return async (c, next) => {
    try {
      const incoming = nodeIncoming(c.env);
      const url = incoming === undefined ? c.req.url : nodeRequestUrl(incoming, undefined, verifier.realm);
      const body = await requestBody(verifier, c, url, settings.limit);
      const extra = adapterExtra('hono', c, incoming?.socket?.remoteAddress ?? undefined, settings);
      c.set('oauth', await verifier.verify({ method: c.req.method, url, headers: c.req.raw.headers, body }, extra));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return onError !== undefined ? onError(err, c) : oauthErrorResponse(err);
    }
    await next();
    return undefined;
  };
}
