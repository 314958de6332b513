/**
 * Express (4 and 5) and Connect adapter.
 *
 * The signature is checked over the bytes the client sent, wherever the
 * middleware is mounted:
 * - before the body parsers, or with none: it reads a form (or a body
 *   carrying `oauth_body_hash`) itself and puts it back, so the parsers
 *   mounted after it (`express.urlencoded({ extended: true })`, `express.json()`…)
 *   parse it as usual; with no parser, `req.body` is the flat form fields and
 *   `req.rawBody` the bytes;
 * - after body parsers: give each parser the raw-body hook,
 *   `verify: keepRawBody` (`express.urlencoded({ extended: true, verify: keepRawBody })`,
 *   `express.json({ verify: keepRawBody })`), and the middleware uses
 *   `req.rawBody`; after `express.text()` or `express.raw()` it uses the
 *   text or bytes they leave in `req.body`. A parser that consumed a body the
 *   signature covers without a raw copy is reported to `next(err)` as a
 *   `TypeError` that names the parser and the hook.
 *
 * The URL is the one the server received (`req.originalUrl`, so mounted
 * routers work); proxies and public URLs are the verifier's options
 * (`trustProxy`, `publicUrl`), not Express's `trust proxy`.
 *
 * @module oauth1/express
 */
import { OAuthError } from '../core/errors.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { keepReadBody, resolveNodeBody, withParserCharset, type BodyKind } from './node-io.js';
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

export { keepRawBody } from './node-io.js';
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

/**
 * An Express request, structurally.
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => res.json({ client: req.oauth!.clientKey }));
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
  // `any`, not `string`: Express infers a route's response body type from its handlers, and this one must not narrow it.
  send(body: any): unknown;
}

declare global {
  // Types `req.oauth` in handlers (merges into Express's own Request; harmless without @types/express).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * Set by `expressMiddleware` of oauth1/express once the request is
       * verified: a {@link VerifiedRequest}, or what {@link OAuthRegister}
       * names (an LTI launch, say).
       */
      oauth?: OAuthResult;
    }
  }
}

const PARSERS: Record<BodyKind, string> = {
  form: 'express.urlencoded',
  json: 'express.json',
  xml: 'express.text',
  text: 'express.text',
  other: 'express.raw',
};

function nested(parsed: unknown): boolean {
  return typeof parsed === 'object' && parsed !== null && Object.values(parsed).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
}

/** Names the parser that (by the body's type) consumed the body, and its raw-body hook. */
function consumedHint(kind: BodyKind, parsed: unknown): string {
  const parser = PARSERS[kind];
  const options = kind === 'form' ? `{ extended: ${nested(parsed) ? 'true' : '…'}, verify: keepRawBody }` : '{ verify: keepRawBody }';
  return (
    `a body parser (${parser}() by the Content-Type) ran before expressMiddleware: ` +
    `give it the raw-body hook, ${parser}(${options}) with keepRawBody from oauth1/express, or mount expressMiddleware before it`
  );
}

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
 * app.get('/api/me', (req, res) => res.json({ client: req.oauth!.clientKey }));
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
      const framework = settings.trustFrameworkProxy ? firstOfListOrigin(frameworkOrigin(req.protocol, req.host), req, verifier.realm) : undefined;
      const url = nodeRequestUrl(req, req.originalUrl, verifier.realm, framework);
      const { body, read } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: req.rawBody, parsed: req.body, consumedHint });
      const oauth = await verifier.verify({ method: req.method ?? 'GET', url, headers: withParserCharset(nodeHeaders(req), req), body }, adapterExtra('express', req, req.socket?.remoteAddress, settings));
      // Read here and put back for later parsers; kept for handlers no parser serves.
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
