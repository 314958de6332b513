/**
 * The request URL as the base string needs it (RFC 5849 §3.4.1.2): scheme
 * and authority normalized, path and query as they travel.
 *
 * A signer sends the URL a WHATWG parser makes of what it was given (that is
 * what `fetch` sends), so it signs that ({@link normalizedTarget}). A server
 * must verify the request as it received it, because that is what its router
 * sees ({@link receivedTarget}): WHATWG `URL` would resolve `/admin/../public`
 * to `/public` and turn `\` into `/`, while Express, Fastify and a prefix
 * router send the raw path to `/admin`.
 * @module
 * @internal
 */
import { invalidArgType, invalidArgValue } from './errors.js';

/** A request URL split for the base string. */
export interface RequestTarget {
  /** `http:` or `https:` (lowercase, as `URL.protocol`). */
  readonly protocol: string;
  /** Host name, lowercase (IPv6 in brackets). */
  readonly hostname: string;
  /** The port, `''` when it is the scheme's default. */
  readonly port: string;
  /** The path: as received, or as normalized for sending; `'/'` when empty. */
  readonly path: string;
  /** The query without `?` (`''` when none). */
  readonly query: string;
  /** `protocol//host[:port]path[?query]`: no user information, no fragment. */
  readonly href: string;
  /** The fragment (`#…`) a signer was given, kept on the URL it hands back (never signed, never sent by fetch). */
  readonly fragment?: string;
}

/** scheme://authority path ?query #fragment, the parts of an absolute URL as they are written. */
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/s;

function target(protocol: string, hostname: string, port: string, path: string, query: string): RequestTarget {
  const p = path === '' ? '/' : path;
  return { protocol, hostname, port, path: p, query, href: `${protocol}//${hostname}${port ? `:${port}` : ''}${p}${query ? `?${query}` : ''}` };
}

function parseWhatwg(url: string, path: string): URL {
  try {
    return new URL(url);
  } catch {
    throw invalidArgValue(path, 'must be an absolute URL (scheme, host and path, as the client addressed it)');
  }
}

/** The URL a WHATWG parser makes of `url` (dot segments resolved, characters outside the URL syntax percent-encoded): what a signer sends. */
export function normalizedTarget(url: string | URL, path = 'request.url'): RequestTarget {
  if (!(url instanceof URL) && typeof url !== 'string') throw invalidArgType(path, 'a string or a URL');
  // A copy of a URL object: the caller's may change later.
  const href = url instanceof URL ? url.href : url;
  // A client calls the same URL again and again: the last one is remembered
  // (its target is frozen, and a string is immutable, so the entry is right
  // for exactly that string).
  if (href === lastNormalized.href) return lastNormalized.target;
  const u = parseWhatwg(href, path);
  const t = target(u.protocol, u.hostname, u.port, u.pathname, u.search.slice(1));
  const result = Object.freeze(u.hash ? { ...t, fragment: u.hash } : t);
  lastNormalized = { href, target: result };
  return result;
}

let lastNormalized: { href: string | undefined; target: RequestTarget } = { href: undefined, target: Object.freeze(target('http:', '', '', '/', '')) };

/**
 * The URL a server received: scheme and authority through the WHATWG parser
 * (lowercased, default port dropped), path and query exactly as written. A
 * `URL` object has been normalized already; its own path is used.
 */
export function receivedTarget(url: string | URL, path = 'request.url'): RequestTarget {
  if (url instanceof URL) return normalizedTarget(url, path);
  if (typeof url !== 'string') throw invalidArgType(path, 'a string or a URL');
  const parts = ABSOLUTE.exec(url);
  if (parts === null) throw invalidArgValue(path, 'must be an absolute URL (scheme, host and path, as the client addressed it)');
  const [, scheme = '', authority = '', rawPath = '', rawQuery = ''] = parts;
  const origin = originOf(scheme, authority, path);
  return target(origin.protocol, origin.hostname, origin.port, rawPath, rawQuery);
}

type Origin = Pick<URL, 'protocol' | 'hostname' | 'port'>;

/**
 * Origins parsed lately, by `scheme://authority` as written: a server sees
 * the same few hosts again and again, and the WHATWG parser is most of the
 * cost of splitting a target. Only accepted origins are kept; the cache is
 * emptied when it reaches ORIGIN_CACHE_MAX entries, so hosts an attacker
 * makes up cost a parse each, never memory.
 */
const origins = new Map<string, Origin>();
const ORIGIN_CACHE_MAX = 256;

function originOf(scheme: string, authority: string, path: string): Origin {
  const key = `${scheme}://${authority}/`;
  const known = origins.get(key);
  if (known !== undefined) return known;
  // The authority alone goes through the WHATWG parser; a backslash there
  // (which WHATWG reads as "/") is refused by the caller's path check.
  const u = parseWhatwg(key, path);
  if (u.pathname !== '/' || u.search !== '') throw invalidArgValue(path, 'has an authority that is not a plain host and port');
  const origin: Origin = Object.freeze({ protocol: u.protocol, hostname: u.hostname, port: u.port });
  if (origins.size >= ORIGIN_CACHE_MAX) origins.clear();
  origins.set(key, origin);
  return origin;
}

/** The same target with another scheme, host or port (a trusted proxy's or a configured public URL's); the default port is dropped. */
export function withOrigin(t: RequestTarget, origin: { protocol?: string; hostname?: string; port?: string }): RequestTarget {
  const protocol = origin.protocol ?? t.protocol;
  let port = origin.port ?? t.port;
  if ((protocol === 'https:' && port === '443') || (protocol === 'http:' && port === '80')) port = '';
  return target(protocol, origin.hostname ?? t.hostname, port, t.path, t.query);
}

/** A path segment (between slashes, or at either end) that is `.` or `..`, also percent-encoded. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?=\/|$)/i;
const BACKSLASH = /\\|%5c/i;

/**
 * Why a received path is ambiguous — a router and a URL parser could read
 * it as two different paths — or undefined. Dot segments (`.`, `..`, also
 * percent-encoded) and backslashes (also `%5C`) are; a signature over such a
 * path could be honoured for another route.
 */
export function ambiguousPath(path: string): string | undefined {
  if (BACKSLASH.test(path)) return 'has a backslash';
  // One scan for a segment that is only dots (no split into segments).
  if (DOT_SEGMENT.test(path)) return 'has a dot segment ("." or "..")';
  return undefined;
}
