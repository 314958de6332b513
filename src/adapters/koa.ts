/**
 * Koa (2 and 3) adapter.
 *
 * The signature is checked over the bytes the client sent: mounted after a
 * body parser, it uses the raw copy the parser kept (`ctx.request.rawBody`:
 * koa-bodyparser and @koa/bodyparser keep it; koa-body with
 * `includeUnparsed: true`); mounted before one, or with none, it reads
 * `ctx.req` itself, only when the signature covers the body (a form, or
 * `oauth_body_hash`), and puts the bytes back, so the parser mounted after
 * it parses them as usual. The URL is the one the server received
 * (`ctx.originalUrl`, so koa-mount works); proxies and public URLs are the
 * verifier's options (`trustProxy`, `publicUrl`), not Koa's `app.proxy`.
 *
 * @module oauth1/koa
 */
import { OAuthError } from '../core/errors.js';
import type { ClientRecord, TokenRecord, VerifiedRequest } from '../server/verifier/types.js';
import { resolveNodeBody } from './node-io.js';
import {
  adapterExtra,
  adapterSettings,
  firstOfListOrigin,
  frameworkOrigin,
  nodeHeaders,
  nodeRequestUrl,
  type AdapterOptions,
  type AdapterVerifier,
  type NodeRequestLike,
  type OAuthResult,
} from './contract.js';

export {
  OAuthError,
  type AdapterExtra,
  type AdapterName,
  type AdapterOptions,
  type AdapterVerifier,
  type OAuthRegister,
  type OAuthResult,
  type VerifiedRequest,
} from './contract.js';

// Makes the block below an augmentation of Koa's types (@types/koa).
import type {} from 'koa';

declare module 'koa' {
  interface DefaultState {
    /**
     * Set by `koaMiddleware` of oauth1/koa once the request is verified: a
     * {@link VerifiedRequest}, or what {@link OAuthRegister} names.
     */
    oauth?: OAuthResult;
  }
}

/**
 * A Koa context, structurally.
 *
 * @example
 * ```ts
 * app.use((ctx) => { ctx.body = ctx.state.oauth.clientKey; });
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

/** Names what consumed the body, and the parsers that keep a raw copy. */
function consumedHint(): string {
  return (
    'a body parser mounted before koaMiddleware read ctx.req and left no ctx.request.rawBody: use koa-bodyparser or @koa/bodyparser ' +
    '(they keep it), koa-body with includeUnparsed: true, or mount koaMiddleware before the body parser'
  );
}

/** koa-body keeps the raw text under this symbol in `ctx.request.body` with `includeUnparsed: true`. */
const UNPARSED = Symbol.for('unparsedBody');

function rawOf(request: { rawBody?: unknown; body?: unknown }): unknown {
  if (request.rawBody !== undefined) return request.rawBody;
  const body = request.body as Record<symbol, unknown> | null | undefined;
  return typeof body === 'object' && body !== null ? body[UNPARSED] : undefined;
}

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
 * app.use((ctx) => { ctx.body = { client: ctx.state.oauth.clientKey }; });
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
      const framework = settings.trustFrameworkProxy ? firstOfListOrigin(frameworkOrigin(ctx.protocol, ctx.host), req, verifier.realm) : undefined;
      const url = nodeRequestUrl(req, ctx.originalUrl, verifier.realm, framework);
      // The stream, when read here, is put back for the parsers mounted later: nothing is set on ctx.request.
      const { body } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: rawOf(request), consumedHint });
      ctx.state['oauth'] = await verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, adapterExtra('koa', ctx, req.socket?.remoteAddress, settings));
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
 * app.use((ctx) => { ctx.body = ctx.state.oauth.clientKey; });
 * ```
 * @group Adapters
 */
export type KoaOAuthState<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord, R = VerifiedRequest<C, T>> = { oauth: R };
