/**
 * node:http (and node:https, HTTP/2 compatibility) adapter.
 *
 * The URL checked is the one the server received: `https` when the socket is
 * TLS, the Host header and `req.url`. Behind a proxy, or to pin the public
 * URL, give the verifier `publicUrl` or `trustProxy`: the adapter never reads
 * proxy headers itself, so one setting governs every adapter.
 *
 * @module oauth1/node
 */
import { OAuthError } from '../core/errors.js';
import type { BodyLike } from '../core/request.js';
import type { VerifiedRequest } from '../server/verifier/types.js';
import { resolveNodeBody } from './node-io.js';
import { adapterExtra, adapterSettings, nodeHeaders, nodeRequestUrl, type AdapterOptions, type AdapterVerifier, type NodeRequestLike } from './contract.js';

export {
  OAuthError,
  type AdapterExtra,
  type AdapterName,
  type AdapterOptions,
  type AdapterVerifier,
  type NodeRequestLike,
  type VerifiedRequest,
} from './contract.js';

/**
 * Options of {@link verifyNodeRequest}.
 *
 * @example A body some other code read already
 * ```ts
 * await verifyNodeRequest(verifier, req, { body: rawText });
 * ```
 * @group Adapters
 */
export interface NodeAdapterOptions extends AdapterOptions {
  /** The body when it was read already (raw text or bytes, or flat form fields): the stream is then left alone. */
  body?: BodyLike;
}

/**
 * A Node `ServerResponse`, structurally.
 *
 * @example
 * ```ts
 * sendOAuthError(res satisfies NodeResponseLike, err);
 * ```
 * @group Adapters
 */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * Verifies a node:http request. The body is read (within the limit) only when
 * the signature covers it: a form, or an `oauth_body_hash`; and it is put
 * back, so the application reads the stream afterwards as if nobody had. Lookups get
 * `{ remoteAddress, adapter: 'node', context: req }` as `ctx.extra`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { verifyNodeRequest, sendOAuthError } from 'oauth1/node';
 * createServer(async (req, res) => {
 *   try {
 *     const oauth = await verifyNodeRequest(verifier, req);
 *     res.end(`hello ${oauth.clientKey}`);
 *   } catch (err) {
 *     if (!sendOAuthError(res, err)) { res.statusCode = 500; res.end(); }
 *   }
 * }).listen(8080);
 * ```
 * @throws {@link OAuthError} 400/401 for a request that fails verification.
 * @group Adapters
 */
export async function verifyNodeRequest<R = VerifiedRequest>(
  verifier: AdapterVerifier<R>,
  req: NodeRequestLike,
  opts: NodeAdapterOptions = {},
): Promise<R> {
  const settings = adapterSettings(verifier, opts);
  const url = nodeRequestUrl(req, undefined, verifier.realm);
  const body = opts.body !== undefined ? opts.body : (await resolveNodeBody(verifier, req, url, settings.limit, { consumedHint: () => 'pass the body as options.body' })).body;
  const extra = adapterExtra('node', req, req.socket?.remoteAddress, settings);
  return verifier.verify({ method: req.method ?? 'GET', url, headers: nodeHeaders(req), body }, extra);
}

/**
 * Answers a failed verification on a node:http response (status,
 * `WWW-Authenticate`, a small form-encoded problem report) and returns true;
 * returns false, sending nothing, for any other error.
 *
 * @example
 * ```ts
 * catch (err) { if (!sendOAuthError(res, err)) throw err; }
 * ```
 * @group Adapters
 */
export function sendOAuthError(res: NodeResponseLike, err: unknown): err is OAuthError {
  if (!(err instanceof OAuthError)) return false;
  res.statusCode = err.status;
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.end(err.body);
  return true;
}
