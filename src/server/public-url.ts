/**
 * Finding the URL the client addressed (the base string URI depends on it):
 * the request as received, a URL the server is configured with, or the
 * answer of a proxy the server trusts — trusted the way proxies behave.
 *
 * A proxy that sets `X-Forwarded-Proto` (or `Forwarded`) appends its own
 * element, or overwrites the header; whatever came before it was written by
 * someone else, perhaps the client. So the verifier reads one header family
 * only (the one the deployment names; a client-supplied header of the other
 * family is ignored), and from it only the element the outermost trusted
 * proxy wrote: with `hops` trusted proxies, the `hops`-th element from the
 * end. With `addresses`, the trusted hops are counted as proxy-addr counts
 * them: from the socket's address back through `X-Forwarded-For` (or the
 * `for=` of `Forwarded`), up to the first address that is not trusted.
 * @module
 */
import type { HttpRequestLike } from '../core/request.js';
import { getHeader } from '../core/request.js';
import { receivedTarget, withOrigin, type RequestTarget } from '../core/target.js';
import { fn, oneOf, optionalObject, positiveInteger, stringArray } from '../core/validate.js';
import { invalidArgType } from '../core/errors.js';
import { addressMatcher } from './ip.js';

/**
 * Which proxy headers to believe. `true` is `{ headers: 'x-forwarded', hops: 1 }`
 * (one proxy, such as nginx or a cloud load balancer, that sets
 * `X-Forwarded-Proto`/`-Host`/`-Port`); a number is that many such proxies.
 *
 * @example Two proxies in a private network, recognised by address
 * ```ts
 * const trustProxy: TrustProxy = { headers: 'x-forwarded', addresses: ['uniquelocal'] };
 * ```
 * @group Verifier
 */
export type TrustProxy = boolean | number | TrustProxyOptions;

/**
 * The proxies in front of the server, and the headers they set.
 *
 * @example
 * ```ts
 * const behindEnvoy: TrustProxyOptions = { headers: 'forwarded', hops: 1 };
 * ```
 * @group Verifier
 */
export interface TrustProxyOptions {
  /**
   * The header family the proxies set: `'x-forwarded'` (`X-Forwarded-Proto`,
   * `-Host`, `-Port`; default) or `'forwarded'` (RFC 7239). The other family
   * is never read.
   */
  headers?: 'x-forwarded' | 'forwarded';
  /** How many proxies in front of the server write those headers. Default 1. */
  hops?: number;
  /**
   * Or the proxies' addresses: IPs, CIDR ranges, `'loopback'`, `'linklocal'`,
   * `'uniquelocal'`, or a function of (address, hop). The socket's address
   * (`ctx.extra.remoteAddress`, which the adapters pass) must be one of them
   * for any header to be read.
   */
  addresses?: readonly string[] | ((address: string, hop: number) => boolean);
}

/** How the verifier finds the public URL of a request. @group Verifier */
export interface PublicUrlOptions {
  /**
   * The URL clients address: a base (`https://api.example.com` or
   * `https://example.com/prefix`) that the request's path and query are
   * appended to, or a function that returns the whole absolute URL.
   */
  publicUrl?: string | ((req: HttpRequestLike) => string) | undefined;
  /** Read the scheme, host and port from proxy headers; only behind proxies you control. Default false. */
  trustProxy?: TrustProxy | undefined;
}

/** Proxy trust, checked and compiled once. @internal */
export interface ProxyTrust {
  family: 'x-forwarded' | 'forwarded';
  hops: number;
  trusts: ((address: string, hop: number) => boolean) | undefined;
}

/** Checks and compiles `trustProxy` (a TypeError names a bad option). @internal */
export function compileTrustProxy(value: unknown, path = 'options.trustProxy'): ProxyTrust | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { family: 'x-forwarded', hops: 1, trusts: undefined };
  if (typeof value === 'number') return { family: 'x-forwarded', hops: positiveInteger(value, path, 1), trusts: undefined };
  const opts = optionalObject<TrustProxyOptions>(value, path, 'a boolean, a number of proxies or { headers, hops | addresses }') ?? {};
  const family = oneOf(opts.headers, `${path}.headers`, ['x-forwarded', 'forwarded'], 'x-forwarded');
  if (opts.addresses !== undefined && opts.hops !== undefined) throw invalidArgType(`${path}.hops`, 'left out when addresses are given');
  const addresses = opts.addresses;
  let trusts: ProxyTrust['trusts'];
  if (typeof addresses === 'function') trusts = fn(addresses, `${path}.addresses`);
  else if (addresses !== undefined) {
    const matches = addressMatcher(stringArray(addresses, `${path}.addresses`, { nonEmpty: true }), `${path}.addresses`);
    trusts = (address) => matches(address);
  }
  return { family, hops: positiveInteger(opts.hops, `${path}.hops`, 1), trusts };
}

/** Splits a header value at commas outside quoted strings; entries trimmed. */
function elements(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"') quoted = !quoted;
    else if (value[i] === ',' && !quoted) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}

/** The element the outermost of `hops` trusted proxies wrote, or undefined when fewer were written. */
function fromEnd(list: string[], hops: number): string | undefined {
  return list.length >= hops ? list[list.length - hops] : undefined;
}

/** RFC 7239 parameters of one element (`for=…;proto=…;host=…`), names lowercased, quoted values unescaped. */
function forwardedParams(element: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (element ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    let v = pair.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    out.set(pair.slice(0, eq).trim().toLowerCase(), v);
  }
  return out;
}

/** How many proxies are trusted for this request: the fixed count, or as many as the address walk finds. */
function trustedHops(trust: ProxyTrust, headers: HttpRequestLike['headers'], remoteAddress: string | undefined): number {
  if (trust.trusts === undefined) return trust.hops;
  const chain = trust.family === 'forwarded' ? elements(getHeader(headers, 'forwarded')).map((e) => forwardedParams(e).get('for') ?? '') : elements(getHeader(headers, 'x-forwarded-for'));
  let hops = 0;
  for (const address of [remoteAddress, ...chain.reverse()]) {
    if (address === undefined || address === '' || !trust.trusts(withoutPort(address), hops)) break;
    hops++;
  }
  return hops;
}

/** An address without the port a `for=` element may carry (`[2001:db8::1]:4711`, `192.0.2.43:47011`). */
function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1] ?? '';
  return /^[0-9.]+:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(':')) : address;
}

/** What the trusted proxy says of the scheme, host and port. */
function proxyOrigin(trust: ProxyTrust, headers: HttpRequestLike['headers'], hops: number): { proto?: string; host?: string; port?: string } {
  if (trust.family === 'forwarded') {
    const params = forwardedParams(fromEnd(elements(getHeader(headers, 'forwarded')), hops));
    const proto = params.get('proto');
    const host = params.get('host');
    return { ...(proto !== undefined ? { proto } : {}), ...(host !== undefined ? { host } : {}) };
  }
  const read = (name: string): string | undefined => fromEnd(elements(getHeader(headers, name)), hops);
  const proto = read('x-forwarded-proto');
  const host = read('x-forwarded-host');
  const port = read('x-forwarded-port');
  return { ...(proto !== undefined ? { proto } : {}), ...(host !== undefined ? { host } : {}), ...(port !== undefined ? { port } : {}) };
}

/** host or host:port, IPv6 literals allowed; nothing that could smuggle a path. @internal */
export const HOST_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_~%]+)(?::[0-9]{1,5})?$/;

/**
 * Whether a host (or host:port) from a client or a proxy header can stand in
 * a URL: it has the shape of {@link HOST_PATTERN} and a URL parser reads it
 * (`%zz`, a port above 65535 or a number too large for IPv4 have the shape
 * but no reading; refused, they are a 400, not an exception). @internal
 */
export function isReadableHost(host: string): boolean {
  if (!HOST_PATTERN.test(host)) return false;
  try {
    new URL(`http://${host}/`);
    return true;
  } catch {
    return false;
  }
}

/** The target with the trusted proxy's scheme, host and port; malformed values are ignored, not trusted. */
function behindProxy(own: RequestTarget, trust: ProxyTrust, req: HttpRequestLike, remoteAddress: string | undefined): RequestTarget {
  const hops = trustedHops(trust, req.headers, remoteAddress);
  if (hops === 0) return own;
  const said = proxyOrigin(trust, req.headers, hops);
  const proto = said.proto?.toLowerCase();
  const protocol = proto === 'http' || proto === 'https' ? `${proto}:` : own.protocol;
  let hostname: string | undefined;
  let port: string | undefined;
  if (said.host !== undefined && isReadableHost(said.host)) {
    const parsed = new URL(`${protocol}//${said.host}/`);
    hostname = parsed.hostname;
    // A forwarded host without a port means the scheme's default port.
    port = parsed.port;
  } else if (protocol !== own.protocol) port = '';
  if (said.port !== undefined && /^[0-9]{1,5}$/.test(said.port)) port = said.port;
  return withOrigin(own, { protocol, ...(hostname !== undefined ? { hostname } : {}), ...(port !== undefined ? { port } : {}) });
}

/**
 * The URL a client addressed, split: `publicUrl` when given; else the
 * request's own URL (path and query exactly as received), with scheme, host
 * and port from a trusted proxy when `trustProxy` is set. @internal
 */
export function resolveTarget(req: HttpRequestLike, publicUrl: PublicUrlOptions['publicUrl'], trust: ProxyTrust | undefined, remoteAddress?: string): RequestTarget {
  if (typeof publicUrl === 'function') return receivedTarget(publicUrl(req), 'options.publicUrl()');
  const own = receivedTarget(req.url);
  if (typeof publicUrl === 'string') {
    const base = publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl;
    return receivedTarget(`${base}${own.path}${own.query ? `?${own.query}` : ''}`, 'options.publicUrl');
  }
  return trust === undefined ? own : behindProxy(own, trust, req, remoteAddress);
}

/**
 * The absolute URL a client addressed: `publicUrl` when given; else the
 * request's own URL, with scheme, host and port from a trusted proxy when
 * `trustProxy` is set (see {@link TrustProxy}). The verifier builds its base
 * string from the same answer, with the path exactly as received (a `URL`
 * object resolves dot segments; the verifier refuses a path that has them).
 *
 * @example
 * ```ts
 * resolvePublicUrl({ method: 'GET', url: 'http://10.0.0.5:8080/api/me', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' } },
 *   { trustProxy: true }).href; // 'https://api.example.com/api/me'
 * ```
 * @group Verifier
 */
export function resolvePublicUrl(req: HttpRequestLike, opts: PublicUrlOptions, remoteAddress?: string): URL {
  return new URL(resolveTarget(req, opts.publicUrl, compileTrustProxy(opts.trustProxy), remoteAddress).href);
}
