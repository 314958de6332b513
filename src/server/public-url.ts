/**
 * Finding the URL the client addressed (the base string URI depends on it),
 * directly or behind a proxy that the server chose to trust.
 * @module
 */
import { getHeader, parseUrl, type HttpRequestLike } from '../core/request.js';

/** How the verifier finds the public URL of a request. @group Verifier */
export interface PublicUrlOptions {
  /**
   * The URL clients address: a base (`https://api.example.com` or
   * `https://example.com/prefix`) that the request's path and query are
   * appended to, or a function that returns the whole absolute URL.
   */
  publicUrl?: string | ((req: HttpRequestLike) => string) | undefined;
  /** Read `Forwarded` / `X-Forwarded-Proto` / `-Host` / `-Port`. Only when a trusted proxy sets them. Default false. */
  trustProxy?: boolean | undefined;
}

function first(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = (value.split(',')[0] ?? '').trim();
  return v.length ? v : undefined;
}

/** RFC 7239: proto and host of the first (client-facing) element. */
function parseForwarded(value: string): { proto?: string; host?: string } {
  const out: { proto?: string; host?: string } = {};
  const element = value.split(',')[0] ?? '';
  for (const pair of element.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim().toLowerCase();
    let v = pair.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name === 'proto') out.proto = v.toLowerCase();
    else if (name === 'host') out.host = v;
  }
  return out;
}

const PROTO = /^https?$/;
/** host or host:port, IPv6 literals allowed; nothing that could smuggle a path. @internal */
export const HOST_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_~%]+)(?::[0-9]{1,5})?$/;

/**
 * The absolute URL a client addressed: `publicUrl` when given; else the
 * request's own URL, with scheme, host and port taken from the proxy headers
 * when `trustProxy` is set (`Forwarded` first, then `X-Forwarded-*`).
 * Malformed proxy values are ignored rather than trusted.
 * @group Verifier
 */
export function resolvePublicUrl(req: HttpRequestLike, opts: PublicUrlOptions): URL {
  const { publicUrl, trustProxy } = opts;
  if (typeof publicUrl === 'function') return parseUrl(publicUrl(req), 'options.publicUrl()');
  const own = parseUrl(req.url);
  if (typeof publicUrl === 'string') {
    const base = publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl;
    return parseUrl(`${base}${own.pathname}${own.search}`, 'options.publicUrl');
  }
  if (!trustProxy) return own;
  const forwarded = getHeader(req.headers, 'forwarded');
  let proto: string | undefined;
  let host: string | undefined;
  if (forwarded !== undefined) ({ proto, host } = parseForwarded(forwarded));
  proto ??= first(getHeader(req.headers, 'x-forwarded-proto'))?.toLowerCase();
  host ??= first(getHeader(req.headers, 'x-forwarded-host'));
  const port = first(getHeader(req.headers, 'x-forwarded-port'));
  const url = new URL(own.href);
  if (proto !== undefined && PROTO.test(proto)) url.protocol = `${proto}:`;
  if (host !== undefined && HOST_PATTERN.test(host)) {
    url.host = host;
    // A forwarded host without a port means the scheme's default port.
    if (!/:[0-9]+$/.test(host)) url.port = '';
  }
  if (port !== undefined && /^[0-9]{1,5}$/.test(port)) url.port = port;
  return url;
}
