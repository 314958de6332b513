/**
 * Phase 1 of a verification: reading the request, once and synchronously
 * (limits first, then the public URL and every parameter source), so that no
 * callback that runs later can change what is verified. The URL is the one
 * the server routes: path and query exactly as received.
 * @module
 * @internal
 */
import { isForm } from '../../core/content-type.js';
import { utf8ByteLength } from '../../core/encoding.js';
import { readParameterSources, type ParameterSources } from '../../core/parameters.js';
import { getHeader, type HttpRequestLike } from '../../core/request.js';
import { ambiguousPath, type RequestTarget } from '../../core/target.js';
import { resolveTarget } from '../public-url.js';
import type { VerifierConfig } from './config.js';
import { refuseSyntax } from './failure.js';

/** The request as the verifier read it. */
export interface ReceivedRequest {
  /** The method, uppercased. */
  method: string;
  /** The public URL the base string is built from. */
  url: RequestTarget;
  headers: HttpRequestLike['headers'];
  sources: ParameterSources;
}

/** An upper bound of the pairs in form text: one more than its "&"s (bytes or string). */
function pairBound(body: unknown): number {
  let count = 1;
  if (typeof body === 'string') {
    for (let i = body.indexOf('&'); i !== -1; i = body.indexOf('&', i + 1)) count++;
  } else if (body instanceof Uint8Array) {
    for (let i = body.indexOf(0x26); i !== -1; i = body.indexOf(0x26, i + 1)) count++;
  }
  return count;
}

/** Whether a body is larger than `limit` bytes (a string is measured only when it could be). */
function largerThan(body: string | Uint8Array, limit: number): boolean {
  if (typeof body !== 'string') return body.byteLength > limit;
  // A UTF-8 byte is at most 3 per UTF-16 code unit.
  return body.length * 3 > limit && utf8ByteLength(body) > limit;
}

/** Refuses, before any parsing, a header or body past the limits. */
function checkSizes(authorization: string | undefined, body: HttpRequestLike['body'], limits: VerifierConfig['limits']): void {
  if (authorization !== undefined && authorization.length > limits.headerLength) {
    throw refuseSyntax(`the Authorization header is longer than ${limits.headerLength} characters`);
  }
  if ((typeof body === 'string' || body instanceof Uint8Array) && largerThan(body, limits.bodyBytes)) {
    throw refuseSyntax(`the body is larger than ${limits.bodyBytes} bytes`);
  }
}

/** The URL clients addressed, with a path a router and a URL parser read alike. */
function publicTarget(req: HttpRequestLike, config: VerifierConfig<any, any>, remoteAddress: string | undefined): RequestTarget {
  const target = resolveTarget(req, config.publicUrl, config.proxyTrust, remoteAddress);
  const ambiguous = config.allowAmbiguousPaths ? undefined : ambiguousPath(target.path);
  if (ambiguous !== undefined) throw refuseSyntax(`the request path ${ambiguous}; send the path the signature covers, without "." or ".." segments or backslashes`);
  return target;
}

/**
 * Reads the request: its size limits, public URL and parameter sources.
 * `onUrl` is told the public URL as soon as it is known (for the debug hook).
 */
export function readRequest(
  req: HttpRequestLike,
  config: VerifierConfig<any, any>,
  remoteAddress: string | undefined,
  onUrl: (url: string) => void,
): ReceivedRequest {
  const method = String(req.method ?? '').toUpperCase();
  const authorization = getHeader(req.headers, 'authorization');
  const contentType = getHeader(req.headers, 'content-type');
  checkSizes(authorization, req.body, config.limits);
  const url = publicTarget(req, config, remoteAddress);
  onUrl(url.href);
  // A cheap bound before any parsing, so a body of a million "&"s costs a
  // scan, not a million pairs; the exact count is checked below.
  const formText = isForm(contentType) ? req.body : undefined;
  if (pairBound(url.query) + pairBound(formText) > 2 * config.limits.parameters + 2) {
    throw refuseSyntax(`the request has more than ${config.limits.parameters} parameters`);
  }
  const sources = readParameterSources(req, { target: url, contentType, authorization });
  const count = sources.query.length + (sources.body.form?.length ?? 0) + (sources.header?.params.length ?? 0);
  if (count > config.limits.parameters) throw refuseSyntax(`the request has more than ${config.limits.parameters} parameters`);
  return { method, url, headers: req.headers, sources };
}
