/**
 * Express (4 and 5) and Connect adapter.
 *
 * Mount it before or after a body parser:
 * - before any parser, or with none: it reads a form (or a body carrying
 *   `oauth_body_hash`) itself and leaves `req.body` as the flat form fields;
 *   other bodies stay in the stream for the application's parsers;
 * - after `express.raw()` or a parser that keeps `req.rawBody` (for example
 *   `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`):
 *   it uses those bytes, the only way to check a body hash after a parser;
 * - after `express.urlencoded({ extended: false })`: it uses the parsed
 *   fields. The extended (qs) parser reshapes names (`a[b]=1`), which the
 *   signature does not cover: that is reported as an error to `next`.
 *
 * The URL is the one the server received (`req.originalUrl`, so mounted
 * routers work); proxies and public URLs are the verifier's options
 * (`trustProxy`, `publicUrl`), not Express's `trust proxy`.
 *
 * @module oauth1/express
 */
import { OAuthError } from '../core/errors.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { adapterExtra, adapterSettings, frameworkOrigin, nodeHeaders, nodeRequestUrl, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';
import { keepReadBody, resolveNodeBody } from './node-io.js';

export { OAuthError, type AdapterExtra, type AdapterName, type AdapterOptions, type AdapterVerifier, type VerifiedRequest } from './contract.js';

/**
 * An Express request, structurally.
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => res.json({ client: req.oauth!.consumerKey }));
 * ```
 * @group Adapters
 */
export interface ExpressRequestLike extends NodeRequestLike {
  originalUrl?: string;
  /** Express's scheme and host under its `trust proxy` setting (used with `trustFrameworkProxy`). */
  protocol?: string;
  host?: string;
  body?: unknown;
  rawBody?: unknown;
  oauth?: unknown;
}

/**
 * An Express response, structurally.
 *
 * @example What the middleware sends for a failed verification
 * ```ts
 * res.status(err.status).set(err.headers).send(err.body);
 * ```
 * @group Adapters
 */
export interface ExpressResponseLike {
  status(code: number): ExpressResponseLike;
  set(headers: Record<string, string>): ExpressResponseLike;
  send(body: string): unknown;
}

declare global {
  // Types `req.oauth` in handlers (merges into Express's own Request; harmless without @types/express).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `expressMiddleware` of oauth1/express once the request is verified. */
      oauth?: VerifiedRequest;
    }
  }
}

const HINT = 'use express.urlencoded({ extended: false }), keep req.rawBody, or mount the OAuth middleware before the body parser';

/**
 * Options of {@link expressMiddleware}.
 *
 * @example Rendering failures yourself
 * ```ts
 * expressMiddleware(verifier, { onError: (err, req, res) => res.status(err.status).set(err.headers).json({ error: err.problem }) });
 * ```
 * @group Adapters
 */
export interface ExpressAdapterOptions extends AdapterOptions {
  /** Renders a failed verification instead of the default answer (status, `WWW-Authenticate`, problem report). */
  onError?: ((err: OAuthError, req: ExpressRequestLike, res: ExpressResponseLike, next: (err?: unknown) => void) => unknown) | undefined;
}

/**
 * Express middleware: verifies the request and sets `req.oauth` to the
 * {@link VerifiedRequest}; answers a failed verification itself (status,
 * `WWW-Authenticate`, problem report) and hands any other error to `next(err)`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressMiddleware } from 'oauth1/express';
 * const app = express();
 * app.use('/api', expressMiddleware(verifier));
 * app.get('/api/me', (req, res) => res.json({ client: req.oauth!.consumerKey }));
 * ```
 * @group Adapters
 */
export function expressMiddleware<R = VerifiedRequest>(
  verifier: AdapterVerifier<R>,
  opts: ExpressAdapterOptions = {},
): (req: ExpressRequestLike, res: ExpressResponseLike, next: (err?: unknown) => void) => Promise<void> {
  const settings = adapterSettings(verifier, opts);
  const onError = opts.onError;
  return async (req, res, next) => {
    try {
      const framework = settings.trustFrameworkProxy ? frameworkOrigin(req.protocol, req.host) : undefined;
      const url = nodeRequestUrl(req, req.originalUrl, verifier.realm, framework);
      const { body, read } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: req.rawBody, parsed: req.body, hint: HINT });
      const oauth = await verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, adapterExtra('express', req, req.socket?.remoteAddress, settings));
      // Read here, so no later parser can: keep it for the handlers.
      if (read !== undefined) keepReadBody(req, read, req.headers);
      req.oauth = oauth;
    } catch (err) {
      if (!(err instanceof OAuthError)) return next(err);
      if (onError !== undefined) return void (await Promise.resolve(onError(err, req, res, next)).catch(next));
      res.status(err.status).set(err.headers).send(err.body);
      return;
    }
    next();
  };
}
