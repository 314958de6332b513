/**
 * Single mutations of a signed request. A request we signed is changed in
 * one place — a parameter's value or name, the path, the host, the scheme,
 * the method, a body byte, the Content-Type, a protocol parameter, the
 * signature — and handed to a fresh verifier. Whether the change matters is
 * decided by a small reference model of what RFC 5849 signs (written here,
 * independently of src/): the request as received, not as a URL parser
 * rewrites it. A change the model sees must be refused; a change it does not
 * see (the realm, the host's letter case, an explicit default port) must be
 * accepted.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { formatAuthorizationHeader, parseAuthorizationHeader, percentEncode } from '../../src/index.js';
import { caseArb, type Case } from './arbitraries.js';
import { singleMediaType } from './deviations.js';
import { verifyNodeRequest } from '../../src/adapters/node.js';
import { ourVerifier, outcome, received, signOrSkip, type PropertyStats } from './harness.js';
import { nodeRequest } from './node-request.js';

type Pair = [string, string];

/** A request as it travels, with the parts a mutation touches kept apart. */
export interface Wire {
  method: string;
  scheme: string;
  /** host[:port], as sent. */
  authority: string;
  /** The raw path, as sent. */
  path: string;
  /** The raw query, without "?"; null for none. */
  query: string | null;
  /** Headers other than Authorization. */
  headers: Record<string, string>;
  /** The decoded Authorization header, or null. */
  header: { realm: string | undefined; params: Pair[] } | null;
  body: string | undefined;
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;

export function toWire(req: { method: string; url: string; headers: Record<string, string>; body?: unknown }): Wire {
  const m = URL_PARTS.exec(req.url);
  if (m === null) throw new Error(`not an absolute URL: ${req.url}`);
  const headers = { ...req.headers };
  const authorization = headers['Authorization'];
  delete headers['Authorization'];
  const parsed = authorization === undefined ? null : parseAuthorizationHeader(authorization);
  return {
    method: req.method,
    scheme: m[1] ?? '',
    authority: m[2] ?? '',
    path: m[3] ?? '',
    query: m[4] ?? null,
    headers,
    header: parsed === null ? null : { realm: parsed.realm, params: parsed.params.map(([n, v]) => [n, v] as Pair) },
    body: typeof req.body === 'string' ? req.body : undefined,
  };
}

export function fromWire(w: Wire): { method: string; url: string; headers: Record<string, string>; body?: string } {
  const headers = { ...w.headers };
  if (w.header !== null) headers['Authorization'] = formatAuthorizationHeader(w.header.params, w.header.realm);
  const url = `${w.scheme}://${w.authority}${w.path}${w.query === null ? '' : `?${w.query}`}`;
  return { method: w.method, url, headers, ...(w.body === undefined ? {} : { body: w.body }) };
}

// ---------------------------------------------------------------------------
// The reference model: what a signature covers (RFC 5849 §3.4.1), read from
// the request as it travels. null: the model cannot read the request, so no
// change to it can be shown harmless.

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict application/x-www-form-urlencoded decoding (RFC 5849 §3.4.1.3.1); null when malformed. */
export function refDecodeForm(text: string): Pair[] | null {
  const out: Pair[] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = refDecode(eq === -1 ? piece : piece.slice(0, eq));
    const value = refDecode(eq === -1 ? '' : piece.slice(eq + 1));
    if (name === null || value === null) return null;
    out.push([name, value]);
  }
  return out;
}

function refDecode(raw: string): string | null {
  const bytes: number[] = [];
  const s = raw.replace(/\+/g, ' ');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of new TextEncoder().encode(s[i] ?? '')) bytes.push(b);
    }
  }
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

/** application/x-www-form-urlencoded (any case, parameters allowed, repeated alike); a list of different types is not a form. */
const refIsForm = (contentType: string | undefined): boolean => contentType !== undefined && singleMediaType(contentType) === 'application/x-www-form-urlencoded';

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/** What the signature covers, as a comparable string; null when unreadable. */
export function refSigned(w: Wire): string | null {
  const scheme = w.scheme.toLowerCase();
  const m = /^([^:]*|\[[^\]]*\])(?::(\d*))?$/.exec(w.authority);
  if (m === null) return null;
  const host = (m[1] ?? '').toLowerCase();
  const port = m[2] === undefined || m[2] === '' || m[2] === DEFAULT_PORT[scheme] ? '' : m[2];
  const query = w.query === null ? [] : refDecodeForm(w.query);
  const contentType = Object.entries(w.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const form = refIsForm(contentType) ? refDecodeForm(w.body ?? '') : [];
  if (query === null || form === null) return null;
  const all = [...query, ...form, ...(w.header?.params ?? [])];
  const signature = all.filter(([n]) => n === 'oauth_signature').map(([, v]) => v);
  const params = all.filter(([n]) => n !== 'oauth_signature').sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const protocol = (name: string): string[] => params.filter(([n]) => n === name).map(([, v]) => v);
  // RFC 5849 §3.4.4: a PLAINTEXT signature is the secrets themselves; it covers nothing of the request.
  if (protocol('oauth_signature_method').join() === 'PLAINTEXT') {
    return JSON.stringify(['PLAINTEXT', protocol('oauth_consumer_key'), protocol('oauth_token'), signature]);
  }
  const hashed = params.some(([n]) => n === 'oauth_body_hash') && !refIsForm(contentType) ? (w.body ?? '') : null;
  return JSON.stringify([w.method.toUpperCase(), scheme, host, port, w.path || '/', params, signature, hashed]);
}

// ---------------------------------------------------------------------------
// Mutations

export const MUTATIONS = [
  'method',
  'scheme',
  'host',
  'host-case',
  'port',
  'default-port',
  'path-char',
  'path-dot-segment',
  'path-backslash',
  'query-value',
  'query-name',
  'query-add',
  'query-drop',
  'form-value',
  'form-name',
  'form-drop',
  'body-byte',
  'header-value',
  'header-name',
  'header-drop',
  'realm',
  'signature',
  'signature-tail',
  'content-type',
] as const;
export type MutationKind = (typeof MUTATIONS)[number];

/** Changes the reference model must not see: the verifier must still accept. */
const HARMLESS: ReadonlySet<MutationKind> = new Set(['host-case', 'default-port', 'realm']);

export interface Mutation {
  kind: MutationKind;
  /** Picks the place (taken modulo the number of places). */
  at: number;
  /** A replacement character or text. */
  char: string;
  text: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
export const mutationArb = (kinds: readonly MutationKind[] = MUTATIONS): fc.Arbitrary<Mutation> => fc.record({
  kind: fc.constantFrom(...kinds),
  at: fc.nat(),
  char: fc.constantFrom(...'aZ09-._~%+/;=&\\ é'.split(''), ...BASE64.split('')),
  text: fc.string({ minLength: 1, maxLength: 6 }),
});

/** Replaces the character at `at` (modulo the length) with `char`, or undefined when that changes nothing. */
function replaceChar(s: string, at: number, char: string, from = 0): string | undefined {
  if (s.length <= from) return undefined;
  const i = from + (at % (s.length - from));
  if (s[i] === char) return undefined;
  return `${s.slice(0, i)}${char}${s.slice(i + 1)}`;
}

function editPairs(text: string | null | undefined, m: Mutation, edit: 'value' | 'name' | 'drop' | 'add'): string | undefined {
  const pieces = text ? text.split('&') : [];
  if (edit === 'add') return [...pieces, `${percentEncode(m.text)}=${percentEncode(m.char)}`].join('&');
  const nonEmpty = pieces.map((p, i) => [p, i] as const).filter(([p]) => p !== '');
  if (nonEmpty.length === 0) return undefined;
  const [piece, index] = nonEmpty[m.at % nonEmpty.length] as readonly [string, number];
  const eq = piece.indexOf('=');
  const [name, value] = eq === -1 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)];
  const decoded = refDecode(edit === 'name' ? name : value) ?? '';
  const changed = percentEncode(`${decoded}${m.text}`);
  const next = edit === 'drop' ? null : edit === 'name' ? `${changed}=${value}` : `${name}=${changed}`;
  const out = [...pieces];
  if (next === null) out.splice(index, 1);
  else out[index] = next;
  return out.join('&');
}

function editHeader(w: Wire, m: Mutation, edit: 'value' | 'name' | 'drop'): Wire | undefined {
  if (w.header === null) return undefined;
  const params = w.header.params.filter(([n]) => n !== 'oauth_signature');
  if (params.length === 0) return undefined;
  const target = params[m.at % params.length] as Pair;
  const next = w.header.params.flatMap((p): Pair[] => {
    if (p !== target) return [p];
    if (edit === 'drop') return [];
    return [edit === 'name' ? [`${p[0]}${m.text}`, p[1]] : [p[0], `${p[1]}${m.text}`]];
  });
  return { ...w, header: { realm: w.header.realm, params: next } };
}

function contentTypeOf(w: Wire): [string, string] | undefined {
  return Object.entries(w.headers).find(([n]) => n.toLowerCase() === 'content-type');
}

/** Another base64 character at `at` of a signature; with `tail`, at its last character before the padding. */
function changeSignature(sig: string, m: Mutation, tail: boolean): string | undefined {
  const at = tail ? sig.replace(/=+$/, '').length - 1 : m.at % Math.max(1, sig.length);
  const alphabet = BASE64.slice(0, 64);
  const char = alphabet[m.at % 64] === sig[at] ? alphabet[(m.at + 1) % 64] : alphabet[m.at % 64];
  return at < 0 || char === undefined ? undefined : `${sig.slice(0, at)}${char}${sig.slice(at + 1)}`;
}

function mutateSignature(w: Wire, m: Mutation, tail: boolean): Wire | undefined {
  const change = (sig: string): string | undefined => changeSignature(sig, m, tail);
  if (w.header?.params.some(([n]) => n === 'oauth_signature')) {
    const params = w.header.params.map(([n, v]): Pair => [n, n === 'oauth_signature' ? (change(v) ?? v) : v]);
    return { ...w, header: { realm: w.header.realm, params } };
  }
  const inText = (text: string): string =>
    text
      .split('&')
      .map((p) => (p.startsWith('oauth_signature=') ? `oauth_signature=${percentEncode(change(refDecode(p.slice(16)) ?? '') ?? '')}` : p))
      .join('&');
  if (w.query?.includes('oauth_signature=')) return { ...w, query: inText(w.query) };
  if (w.body?.includes('oauth_signature=')) return { ...w, body: inText(w.body) };
  return undefined;
}

const OTHER_CONTENT_TYPES = ['text/plain', 'application/json', `text/plain, application/x-www-form-urlencoded`, 'application/x-www-form-urlencoded, text/plain', 'application/x-www-form-urlencoded,'];

/** Applies one mutation; undefined when it does not apply to this request. */
export function mutate(w: Wire, m: Mutation): Wire | undefined {
  switch (m.kind) {
    case 'method': {
      const other = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((x) => x !== w.method.toUpperCase());
      return { ...w, method: other[m.at % other.length] ?? 'GET' };
    }
    case 'scheme':
      return { ...w, scheme: w.scheme === 'https' ? 'http' : 'https' };
    case 'host':
      return { ...w, authority: `evil-${m.at % 10}.example${/:\d+$/.exec(w.authority)?.[0] ?? ''}` };
    case 'host-case':
      return w.authority.toUpperCase() === w.authority ? undefined : { ...w, authority: w.authority.toUpperCase() };
    case 'port': {
      const host = w.authority.replace(/:\d+$/, '');
      return { ...w, authority: `${host}:${1024 + (m.at % 60000)}` };
    }
    case 'default-port':
      return /:\d+$/.test(w.authority) ? undefined : { ...w, authority: `${w.authority}:${w.scheme === 'https' ? 443 : 80}` };
    case 'path-char': {
      const path = replaceChar(w.path, m.at, m.char === ' ' ? '%20' : m.char, 1);
      return path === undefined ? undefined : { ...w, path };
    }
    case 'path-dot-segment': {
      // A path that a URL parser resolves back to the signed one: /a/b → /a/x/../b (raw or encoded dots).
      const slashes = [...w.path.matchAll(/\//g)].map((x) => x.index);
      const at = slashes[m.at % slashes.length] ?? 0;
      const dots = ['x/..', 'x/%2e%2e', 'x/.%2E', '.', '%2e', 'x/y/../..'][m.at % 6];
      return { ...w, path: `${w.path.slice(0, at + 1)}${dots}/${w.path.slice(at + 1)}` };
    }
    case 'path-backslash': {
      const slashes = [...w.path.matchAll(/\//g)].map((x) => x.index).filter((i) => i > 0);
      // No inner "/": /p → /x\../p, which a URL parser reads as /x/../p.
      if (slashes.length === 0) return { ...w, path: `/x\\..${w.path}` };
      const at = slashes[m.at % slashes.length] ?? 1;
      return { ...w, path: `${w.path.slice(0, at)}\\${w.path.slice(at + 1)}` };
    }
    case 'query-value':
    case 'query-name':
    case 'query-drop':
    case 'query-add': {
      const query = editPairs(w.query, m, m.kind.slice(6) as 'value' | 'name' | 'drop' | 'add');
      return query === undefined ? undefined : { ...w, query };
    }
    case 'form-value':
    case 'form-name':
    case 'form-drop': {
      if (!refIsForm(contentTypeOf(w)?.[1])) return undefined;
      const body = editPairs(w.body, m, m.kind.slice(5) as 'value' | 'name' | 'drop');
      return body === undefined ? undefined : { ...w, body };
    }
    case 'body-byte': {
      const body = w.body === undefined ? undefined : replaceChar(w.body, m.at, m.char);
      return body === undefined ? undefined : { ...w, body };
    }
    case 'header-value':
    case 'header-name':
    case 'header-drop':
      return editHeader(w, m, m.kind.slice(7) as 'value' | 'name' | 'drop');
    case 'realm':
      return w.header === null ? undefined : { ...w, header: { realm: `${w.header.realm ?? ''}${m.text}`, params: w.header.params } };
    case 'signature':
    case 'signature-tail':
      return mutateSignature(w, m, m.kind === 'signature-tail');
    case 'content-type': {
      const [name, value] = contentTypeOf(w) ?? ['Content-Type', ''];
      const next = OTHER_CONTENT_TYPES.filter((t) => t !== value)[m.at % (OTHER_CONTENT_TYPES.length - 1)] ?? 'text/plain';
      return { ...w, headers: { ...w.headers, [name]: next } };
    }
  }
}

/**
 * Any single mutation of a signed request that changes what RFC 5849 signs
 * is refused by our verifier; one that does not (realm, host case, explicit
 * default port) is accepted.
 */
export function mutationsRefused(stats: PropertyStats, kinds: readonly MutationKind[] = MUTATIONS): fc.IAsyncPropertyWithHooks<[Case, Mutation]> {
  return fc.asyncProperty(caseArb({ dotSegments: false }), mutationArb(kinds), async (c, m) => {
    stats.cases++;
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req = received(signed);
    // A request our verifier refuses unmutated (a listed refusal, see differential.ts) proves nothing here.
    if (!(await outcome(() => ourVerifier(c).verify(req))).ok) {
      stats.count('skipped: refused unmutated');
      return;
    }
    const wire = toWire(req);
    const mutated = mutate(wire, m);
    if (mutated === undefined) {
      stats.count(`n/a: ${m.kind}`);
      return;
    }
    const same = refSigned(mutated) !== null && refSigned(mutated) === refSigned(wire);
    const result = await outcome(() => ourVerifier(c).verify(fromWire(mutated)));
    stats.count(`${m.kind}: ${same ? 'harmless' : 'signed'} ${result.ok ? 'accepted' : 'refused'}`);
    if (!same) expect(result, `${m.kind} changed what is signed, yet was accepted: ${JSON.stringify(fromWire(mutated))}`).toMatchObject({ ok: false });
    else if (HARMLESS.has(m.kind)) expect(result, `${m.kind} changed nothing signed, yet was refused`).toEqual({ ok: true });
  });
}

/**
 * The same path rewrites, through the node adapter (what Express, Fastify
 * and Koa use): the request target in origin form with a Host header, and
 * in absolute form (RFC 9112 §3.2.2), which node:http accepts and routers
 * read without resolving dot segments. Refused either way.
 */
export function pathRewritesThroughNode(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, Mutation, boolean]> {
  const kinds: MutationKind[] = ['path-dot-segment', 'path-backslash'];
  return fc.asyncProperty(caseArb({ dotSegments: false }), mutationArb(kinds), fc.boolean(), async (c, m, absolute) => {
    stats.cases++;
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req = received(signed);
    const form = absolute ? 'absolute' : 'origin';
    const original = nodeRequest(req, form);
    if (original === undefined || !(await outcome(() => verifyNodeRequest(ourVerifier(c), original))).ok) {
      stats.count('skipped: refused unmutated');
      return;
    }
    const wire = toWire(req);
    const mutated = mutate(wire, m);
    if (mutated === undefined) return;
    const sent = nodeRequest(fromWire(mutated), form);
    if (sent === undefined) return;
    const result = await outcome(() => verifyNodeRequest(ourVerifier(c), sent));
    stats.count(`${m.kind} (${form} form): ${result.ok ? 'accepted' : 'refused'}`);
    expect(result, `${m.kind} sent in ${form} form (${String(sent.url)}) was accepted`).toMatchObject({ ok: false });
  });
}
