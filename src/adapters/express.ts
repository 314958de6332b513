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
import type { ClientRecord, TokenRecord, VerifiedRequest } from '../server/verifier/index.js';
import { checkAdapterArgs, fieldsObject, nodeRequestUrl, resolveNodeBody, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';
import { parseForm } from '../core/encoding.js';
import { getHeader, isFormContentType, type BodyLike } from '../core/request.js';

export type { AdapterOptions, AdapterVerifier } from './contract.js';

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
  body?: unknown;
  rawBody?: unknown;
  oauth?: VerifiedRequest<any, any>;
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
export function expressMiddleware<C extends ClientRecord = ClientRecord, T extends TokenRecord = TokenRecord>(
  verifier: AdapterVerifier<C, T>,
  opts: AdapterOptions = {},
): (req: ExpressRequestLike, res: ExpressResponseLike, next: (err?: unknown) => void) => Promise<void> {
  const limit = checkAdapterArgs(verifier, opts);
  return async (req, res, next) => {
    let oauth: VerifiedRequest<C, T>;
    let body: BodyLike;
    let read: Buffer | undefined;
    try {
      const url = nodeRequestUrl(req, req.originalUrl, verifier.realm);
      ({ body, read } = await resolveNodeBody(verifier, req, url, limit, { raw: req.rawBody, parsed: req.body, hint: HINT }));
      const extra = { remoteAddress: req.socket?.remoteAddress, req, ...opts.extra };
      oauth = await verifier.verify({ method: req.method ?? 'GET', url, headers: req.headers, body }, extra);
    } catch (err) {
      if (err instanceof OAuthError) res.status(err.status).set(err.headers).send(err.body);
      else next(err);
      return;
    }
    if (read !== undefined) {
      // Read here, so no later parser can: keep it for the handlers (a verified form decodes cleanly).
      req.rawBody = read;
      if (isFormContentType(getHeader(req.headers, 'content-type'))) req.body = fieldsObject(parseForm(read.toString('utf8')));
    }
    req.oauth = oauth;
    next();
  };
}
