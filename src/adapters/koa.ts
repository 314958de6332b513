/**
 * Koa adapter.
 *
 * Uses `ctx.request.rawBody` when a body parser kept it (koa-bodyparser
 * does), else reads `ctx.req` itself, only when the signature covers the body
 * (a form, or `oauth_body_hash`); it then sets `ctx.request.rawBody` and, for
 * a form, `ctx.request.body` to the flat fields, so a later body parser skips
 * the request. The URL is the one the server received (`ctx.originalUrl`,
 * so koa-mount works); proxies and public URLs are the verifier's options
 * (`trustProxy`, `publicUrl`), not Koa's `app.proxy`.
 *
 * @module oauth1/koa
 */
import { OAuthError } from '../core/errors.js';
import type { ClientRecord, TokenRecord, VerifiedRequest } from '../server/verifier/types.js';
import { adapterExtra, adapterSettings, frameworkOrigin, nodeHeaders, nodeRequestUrl, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';
import { keepReadBody, resolveNodeBody } from './node-io.js';

export { OAuthError, type AdapterExtra, type AdapterName, type AdapterOptions, type AdapterVerifier, type VerifiedRequest } from './contract.js';

/**
 * A Koa context, structurally.
 *
 * @example
 * ```ts
 * app.use((ctx) => { ctx.body = ctx.state.oauth.consumerKey; });
 * ```
 * @group Adapters
 */
export interface KoaContextLike {
  req: NodeRequestLike;
  originalUrl?: string;
  /** Koa's scheme and host under `app.proxy` (used with `trustFrameworkProxy`). */
  protocol?: string;
  host?: string;
  /** `ctx.request`, where body parsers leave `rawBody` (text) and `body` (parsed). */
  request: object;
  state: Record<string, unknown>;
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
}

const HINT = 'mount koa-bodyparser (which keeps ctx.request.rawBody) or mount the OAuth middleware before the body parser';

/**
 * Options of {@link koaMiddleware}.
 *
 * @example Rendering failures yourself
 * ```ts
 * koaMiddleware(verifier, { onError: (err, ctx) => { ctx.status = err.status; ctx.set(err.headers); ctx.body = { error: err.problem }; } });
 * ```
 * @group Adapters
 */
export interface KoaAdapterOptions extends AdapterOptions {
  /** Renders a failed verification instead of the default answer (status, `WWW-Authenticate`, problem report). */
  onError?: ((err: OAuthError, ctx: KoaContextLike) => unknown) | undefined;
}

/**
 * Koa middleware: verifies the request and sets `ctx.state.oauth` to the
 * {@link VerifiedRequest}; answers a failed verification itself (status,
 * `WWW-Authenticate`, problem report) and rethrows any other error to Koa.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { koaMiddleware } from 'oauth1/koa';
 * const app = new Koa();
 * app.use(koaMiddleware(verifier));
 * app.use((ctx) => { ctx.body = { client: ctx.state.oauth.consumerKey }; });
 * ```
 * @group Adapters
 */
export function koaMiddleware<R = VerifiedRequest>(
  verifier: AdapterVerifier<R>,
  opts: KoaAdapterOptions = {},
): (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void> {
  const settings = adapterSettings(verifier, opts);
  const onError = opts.onError;
  return async (ctx, next) => {
    const req = ctx.req;
    const request = ctx.request as { rawBody?: unknown; body?: unknown };
    try {
      const framework = settings.trustFrameworkProxy ? frameworkOrigin(ctx.protocol, ctx.host) : undefined;
      const url = nodeRequestUrl(req, ctx.originalUrl, verifier.realm, framework);
      const { body, read } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: request.rawBody, hint: HINT });
      ctx.state['oauth'] = await verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, adapterExtra('koa', ctx, req.socket?.remoteAddress, settings));
      // Read here, so no later parser can: keep it for the handlers.
      if (read !== undefined) keepReadBody(request, read, req.headers);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (onError !== undefined) return void (await onError(err, ctx));
      ctx.status = err.status;
      ctx.set(err.headers);
      ctx.body = err.body;
      return;
    }
    await next();
  };
}

/**
 * `ctx.state.oauth` as set by {@link koaMiddleware}.
 *
 * @example Typing the state
 * ```ts
 * const app = new Koa<KoaOAuthState>();
 * app.use(koaMiddleware(verifier));
 * app.use((ctx) => { ctx.body = ctx.state.oauth.consumerKey; });
 * ```
 * @group Adapters
 */
export type KoaOAuthState<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord, R = VerifiedRequest<C, T>> = { oauth: R };
