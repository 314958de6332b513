/**
 * One HTTP-level suite for every adapter (graphql-http's audit style): a table
 * of cases with stable ids, each a request sent over a real socket to a real
 * server, with the status and `oauth_problem` expected back (read from both
 * the body and `WWW-Authenticate`), or, for accepted requests, checks on the
 * VerifiedRequest the protected handler received.
 *
 * Requests are signed with our `sign()`; a subset is signed by Python's
 * oauthlib instead (test/helpers/python.ts), skipped outside CI when oauthlib
 * is missing and failing in CI.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatForm } from '../../src/core/encoding.js';
import { formatAuthorizationHeader, parseAuthorizationHeader } from '../../src/core/header.js';
import { sign, type SignOptions } from '../../src/client/sign.js';
import { createVerifier, type ClientRecord, type TokenRecord } from '../../src/server/verifier/index.js';
import { assertOauthlib, oauthlibGate, oauthlibSign, type ProtocolRequest } from '../helpers/python.js';
import type { HandlerJson, RunningServer, ServerFactory } from './servers.js';

// ---------------------------------------------------------------------------
// Credentials the servers know (one in-memory set, shared by every framework)

export const CLIENT = { key: 'suite-client', secret: 'client sécret&+/=' };
export const TOKEN = { key: 'suite-token', secret: 'tök€n secret' };
export const REVOKED_TOKEN = { key: 'suite-revoked', secret: 'revoked-secret' };
export const RSA_CLIENT_KEY = 'suite-rsa-client';
/** A client key whose lookup throws a plain Error (not an OAuthError). */
export const EXPLODING_CLIENT_KEY = 'suite-explode';
export const REALM = 'adapters-suite';
/** The verifier's body limit, and the adapters' (the verifier does not expose its own yet). */
export const BODY_LIMIT = 16 * 1024;

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
export const RSA_PRIVATE = fixture('rsa-private-pkcs8.pem');
const RSA_PUBLIC = fixture('rsa-public-spki.pem');

const CLIENTS = new Map<string, ClientRecord>([
  [CLIENT.key, { secret: CLIENT.secret }],
  [RSA_CLIENT_KEY, { publicKey: RSA_PUBLIC }],
]);
const TOKENS = new Map<string, TokenRecord>([
  [TOKEN.key, { secret: TOKEN.secret }],
  [REVOKED_TOKEN.key, { secret: REVOKED_TOKEN.secret, revoked: true }],
]);

export interface SuiteVerifier {
  verifier: ReturnType<typeof createVerifier>;
  /** `ctx.extra.remoteAddress` as the last lookup saw it. */
  lastRemoteAddress: string | undefined;
}

/** A verifier of its own (own nonce store) for one server. */
export function makeVerifier(): SuiteVerifier {
  const state: SuiteVerifier = {
    lastRemoteAddress: undefined,
    verifier: createVerifier({
      lookupClient: (key, ctx) => {
        state.lastRemoteAddress = ctx.extra.remoteAddress;
        if (key === EXPLODING_CLIENT_KEY) throw new Error('lookup exploded');
        return CLIENTS.get(key);
      },
      lookupToken: (token) => TOKENS.get(token),
      // HMAC-SHA512 left out on purpose: the "disallowed method" case uses it.
      signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'RSA-SHA256', 'PLAINTEXT'],
      tokenRequired: false,
      realm: REALM,
      limits: { bodyBytes: BODY_LIMIT },
    }),
  };
  return state;
}

// ---------------------------------------------------------------------------
// Building requests

export const FORM = 'application/x-www-form-urlencoded';
export const RESOURCE = '/protected/resource';

/** A request as it goes on the wire. */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
}

export interface CaseContext {
  server: RunningServer;
  state: SuiteVerifier;
  /** Seconds since the epoch. */
  now: number;
}

interface Draft {
  method?: string;
  path?: string;
  query?: Array<[string, string]>;
  form?: Array<[string, string]>;
  /** A raw body that is not a form (JSON by default). */
  body?: string;
  contentType?: string;
}

function draftUrl(ctx: CaseContext, d: Draft): string {
  const url = ctx.server.base + (d.path ?? RESOURCE);
  return d.query?.length ? `${url}?${formatForm(d.query)}` : url;
}

/** Signs a draft with our `sign()`; the default credentials are CLIENT and TOKEN. */
function signed(ctx: CaseContext, d: Draft, opts: Partial<SignOptions> = {}): Sent {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (d.form) {
    body = formatForm(d.form);
    headers['content-type'] = d.contentType ?? FORM;
  } else if (d.body !== undefined) {
    body = d.body;
    headers['content-type'] = d.contentType ?? 'application/json';
  }
  const s = sign({ method: d.method ?? 'GET', url: draftUrl(ctx, d), headers, body }, { client: CLIENT, token: TOKEN, ...opts });
  return { method: s.method, url: s.url, headers: s.headers, body: s.body };
}

/** Rewrites the OAuth Authorization header's parameters (parse, change, format again). */
function editHeader(sent: Sent, edit: (params: Array<[string, string]>) => Array<[string, string]>): Sent {
  const parsed = parseAuthorizationHeader(sent.headers['Authorization'] ?? sent.headers['authorization']!)!;
  const params = edit(parsed.params.map(([n, v]) => [n, v] as [string, string]));
  const headers = { ...sent.headers };
  delete headers['authorization'];
  headers['Authorization'] = formatAuthorizationHeader(params, parsed.realm);
  return { ...sent, headers };
}

function oauthParam(sent: Sent, name: string): string {
  const parsed = parseAuthorizationHeader(sent.headers['Authorization'] ?? '')!;
  return parsed.params.find(([n]) => n === name)![1];
}

// ---------------------------------------------------------------------------
// The cases

/** Accepted: status 200 and checks on what the handler got. Rejected: status and oauth_problem. */
export type Expectation =
  | { status: 200 }
  | { status: 400 | 401; problem: string }
  /** An answer from the framework itself (its parser, its error path), not from the adapter. */
  | { status: number; framework: string | RegExp };

export interface SuiteCase {
  id: string;
  title: string;
  request(ctx: CaseContext): Sent;
  expect: Expectation;
  /** Where a server differs (by server name), and why, in the case's title. */
  per?: Record<string, Expectation>;
  /** Send the request once first, expecting 200 (replay). */
  sendTwice?: boolean;
  /** Only on servers that mount routers. */
  mount?: boolean;
  check?(json: HandlerJson, ctx: CaseContext): void;
}

const isClient = (json: HandlerJson, ctx: CaseContext): void => {
  expect(json.server).toBe(ctx.server.name);
  expect(json.consumerKey).toBe(CLIENT.key);
  expect(json.tokenKey).toBe(TOKEN.key);
};

function hasParams(json: HandlerJson, pairs: Array<[string, string]>): void {
  for (const pair of pairs) expect(json.params).toContainEqual(pair);
}

const big = 'x'.repeat(2 * BODY_LIMIT);

export const CASES: SuiteCase[] = [
  // -- accepted ------------------------------------------------------------
  {
    id: 'accept-hmac-sha1-header',
    title: 'HMAC-SHA1 in the Authorization header, query parameters signed',
    request: (ctx) => signed(ctx, { query: [['b', '2'], ['a', '1 2']] }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      expect(json.signatureMethod).toBe('HMAC-SHA1');
      expect(json.url).toBe(`${ctx.server.base}${RESOURCE}?b=2&a=1%202`);
      hasParams(json, [['a', '1 2'], ['b', '2'], ['oauth_consumer_key', CLIENT.key]]);
      expect(json.params.some(([n]) => n === 'oauth_signature')).toBe(false);
      // The adapter handed the lookups the peer's address.
      expect(ctx.state.lastRemoteAddress).toMatch(/127\.0\.0\.1$/);
    },
  },
  {
    id: 'accept-hmac-sha256',
    title: 'HMAC-SHA256',
    request: (ctx) => signed(ctx, {}, { signatureMethod: 'HMAC-SHA256' }),
    expect: { status: 200 },
    check: (json) => expect(json.signatureMethod).toBe('HMAC-SHA256'),
  },
  {
    id: 'accept-rsa-sha1',
    title: 'RSA-SHA1 with a client public key',
    request: (ctx) => signed(ctx, { method: 'POST', form: [['x', 'y']] }, { client: { key: RSA_CLIENT_KEY, privateKey: RSA_PRIVATE }, signatureMethod: 'RSA-SHA1' }),
    expect: { status: 200 },
    check(json) {
      expect(json.consumerKey).toBe(RSA_CLIENT_KEY);
      expect(json.signatureMethod).toBe('RSA-SHA1');
    },
  },
  {
    id: 'accept-two-legged',
    title: 'client credentials only (no oauth_token)',
    request: (ctx) => signed(ctx, {}, { token: undefined }),
    expect: { status: 200 },
    check(json) {
      expect(json.consumerKey).toBe(CLIENT.key);
      expect(json.tokenKey).toBeNull();
    },
  },
  {
    id: 'accept-form-body',
    title: 'a form body is signed, and handlers still see its fields',
    request: (ctx) => signed(ctx, { method: 'POST', form: [['status', 'hello world'], ['a', '1'], ['a', '2']] }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      hasParams(json, [['status', 'hello world'], ['a', '1'], ['a', '2']]);
      if (ctx.server.features.form) expect(json.form).toEqual({ status: 'hello world', a: ['1', '2'] });
    },
  },
  {
    id: 'accept-form-charset',
    title: 'a form with "; charset=utf-8" and non-ASCII text',
    request: (ctx) => signed(ctx, { method: 'PUT', form: [['name', 'café ☕ ü']], contentType: `${FORM}; charset=utf-8` }),
    expect: { status: 200 },
    check(json, ctx) {
      hasParams(json, [['name', 'café ☕ ü']]);
      if (ctx.server.features.form) expect(json.form).toEqual({ name: 'café ☕ ü' });
    },
  },
  {
    id: 'accept-repeated-names',
    title: 'one name repeated in the query and the form body',
    request: (ctx) => signed(ctx, { method: 'POST', query: [['a', '1'], ['a', '2']], form: [['a', '3'], ['b', '']] }),
    expect: { status: 200 },
    check: (json) => hasParams(json, [['a', '1'], ['a', '2'], ['a', '3'], ['b', '']]),
  },
  {
    id: 'accept-query-placement',
    title: 'protocol parameters in the query',
    request: (ctx) => signed(ctx, { query: [['q', 'search term']] }, { placement: 'query' }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      hasParams(json, [['q', 'search term'], ['oauth_token', TOKEN.key]]);
    },
  },
  {
    id: 'accept-body-placement',
    title: 'protocol parameters in the form body',
    request: (ctx) => signed(ctx, { method: 'POST', form: [['c', '3']] }, { placement: 'body' }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      hasParams(json, [['c', '3'], ['oauth_token', TOKEN.key]]);
    },
  },
  {
    id: 'accept-realm-header',
    title: 'a realm in the header is reported, not signed',
    request: (ctx) => signed(ctx, {}, { realm: 'Photos' }),
    expect: { status: 200 },
    check(json) {
      expect(json.realm).toBe('Photos');
      expect(json.params.some(([n]) => n === 'realm')).toBe(false);
    },
  },
  {
    id: 'accept-json-body-hash',
    title: 'a JSON body signed through oauth_body_hash',
    request: (ctx) => signed(ctx, { method: 'POST', body: '{"amount":10,"note":"café"}' }, { bodyHash: true }),
    expect: { status: 200 },
    check: (json) => expect(json.params.some(([n]) => n === 'oauth_body_hash')).toBe(true),
  },
  {
    id: 'accept-json-unsigned-body',
    title: 'a JSON body without a body hash is not signed, and is left unread for the application',
    request: (ctx) => signed(ctx, { method: 'POST', body: '{"left":"for the app"}' }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      if (ctx.server.features.rest) expect(json.rest).toBe('{"left":"for the app"}');
    },
  },
  {
    id: 'accept-encoded-path',
    title: 'a percent-encoded path is checked as sent',
    request: (ctx) => signed(ctx, { path: '/protected/caf%C3%A9/a%20b' }),
    expect: { status: 200 },
    check: (json, ctx) => expect(json.url).toBe(`${ctx.server.base}/protected/caf%C3%A9/a%20b`),
  },
  {
    id: 'accept-mounted-router-path',
    title: 'a route mounted in a router is checked with its whole path',
    mount: true,
    request: (ctx) => signed(ctx, { method: 'POST', path: '/mounted/inner/resource', query: [['m', '1']], form: [['f', '2']] }),
    expect: { status: 200 },
    check(json, ctx) {
      expect(json.url).toBe(`${ctx.server.base}/mounted/inner/resource?m=1`);
      hasParams(json, [['m', '1'], ['f', '2']]);
    },
  },

  // -- rejected --------------------------------------------------------------
  {
    id: 'reject-replay',
    title: 'the same request twice: the second is a replay',
    sendTwice: true,
    request: (ctx) => signed(ctx, { method: 'POST', form: [['once', 'only']] }),
    expect: { status: 401, problem: 'nonce_used' },
  },
  {
    id: 'reject-tampered-query',
    title: 'a query value changed after signing',
    request: (ctx) => {
      const s = signed(ctx, { query: [['amount', '10']] });
      return { ...s, url: s.url.replace('amount=10', 'amount=99') };
    },
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-tampered-form',
    title: 'a form value changed after signing',
    request: (ctx) => {
      const s = signed(ctx, { method: 'POST', form: [['amount', '10']] });
      return { ...s, body: 'amount=99' };
    },
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-tampered-method',
    title: 'signed for GET, sent as DELETE',
    request: (ctx) => ({ ...signed(ctx, {}), method: 'DELETE' }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-tampered-path',
    title: 'signed for one path, sent to another',
    request: (ctx) => {
      const s = signed(ctx, { path: '/protected/a' });
      return { ...s, url: s.url.replace('/protected/a', '/protected/b') };
    },
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-wrong-client-secret',
    title: 'signed with a wrong client secret',
    request: (ctx) => signed(ctx, {}, { client: { key: CLIENT.key, secret: 'not the secret' } }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-wrong-token-secret',
    title: 'signed with a wrong token secret',
    request: (ctx) => signed(ctx, {}, { token: { key: TOKEN.key, secret: 'not the secret' } }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-unknown-client',
    title: 'a client key the server does not know (answered like a wrong signature)',
    request: (ctx) => signed(ctx, {}, { client: { key: 'nobody', secret: 'x' } }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-unknown-token',
    title: 'a token the server does not know (answered like a wrong signature)',
    request: (ctx) => signed(ctx, {}, { token: { key: 'no-such-token', secret: 'x' } }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-revoked-token',
    title: 'a revoked token',
    request: (ctx) => signed(ctx, {}, { token: REVOKED_TOKEN }),
    expect: { status: 401, problem: 'token_revoked' },
  },
  {
    id: 'reject-repeated-param-header',
    title: 'a protocol parameter twice in the header',
    request: (ctx) => editHeader(signed(ctx, {}), (p) => [...p, ['oauth_nonce', 'second']]),
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-param-two-locations',
    title: 'a protocol parameter in the header and in the query',
    request: (ctx) => {
      const s = signed(ctx, {});
      return { ...s, url: `${s.url}?oauth_nonce=${oauthParam(s, 'oauth_nonce')}` };
    },
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-missing-param',
    title: 'oauth_nonce left out',
    request: (ctx) => editHeader(signed(ctx, {}), (p) => p.filter(([n]) => n !== 'oauth_nonce')),
    expect: { status: 400, problem: 'parameter_absent' },
  },
  {
    id: 'reject-disallowed-method',
    title: 'a signature method the server does not allow (HMAC-SHA512)',
    request: (ctx) => signed(ctx, {}, { signatureMethod: 'HMAC-SHA512' }),
    expect: { status: 400, problem: 'signature_method_rejected' },
  },
  {
    id: 'reject-plaintext-over-http',
    title: 'PLAINTEXT over http (allowed method, but secrets in clear)',
    request: (ctx) => signed(ctx, {}, { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true }),
    expect: { status: 400, problem: 'signature_method_rejected' },
  },
  {
    id: 'reject-bad-version',
    title: 'oauth_version="2.0"',
    request: (ctx) => editHeader(signed(ctx, {}), (p) => p.map(([n, v]) => [n, n === 'oauth_version' ? '2.0' : v])),
    expect: { status: 400, problem: 'version_rejected' },
  },
  {
    id: 'reject-old-timestamp',
    title: 'a timestamp an hour old',
    request: (ctx) => signed(ctx, {}, { timestamp: ctx.now - 3600 }),
    expect: { status: 401, problem: 'timestamp_refused' },
  },
  {
    id: 'reject-future-timestamp',
    title: 'a timestamp an hour ahead',
    request: (ctx) => signed(ctx, {}, { timestamp: ctx.now + 3600 }),
    expect: { status: 401, problem: 'timestamp_refused' },
  },
  {
    id: 'reject-malformed-header',
    title: 'an OAuth header with an unterminated quoted value',
    request: (ctx) => ({ method: 'GET', url: ctx.server.base + RESOURCE, headers: { Authorization: `OAuth oauth_consumer_key="${CLIENT.key}", oauth_nonce="abc` } }),
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-bad-percent-encoding',
    title: 'a query with invalid percent-encoding',
    request: (ctx) => {
      const s = signed(ctx, { query: [['q', '1']] });
      return { ...s, url: s.url.replace('q=1', 'q=%zz') };
    },
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-bad-percent-encoding-form',
    title: 'a form body with invalid percent-encoding (a lenient parser that ran first decodes it, and the signature then fails)',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', form: [['q', '1']] }), body: 'q=%zz' }),
    expect: { status: 400, problem: 'parameter_rejected' },
    per: { 'express-urlencoded': { status: 401, problem: 'signature_invalid' } },
  },
  {
    id: 'reject-body-hash-mismatch',
    title: 'a JSON body changed after signing with oauth_body_hash',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', body: '{"amount":10}' }, { bodyHash: true }), body: '{"amount":99}' }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-body-hash-on-form',
    title: 'oauth_body_hash sent with a form body',
    request: (ctx) => editHeader(signed(ctx, { method: 'POST', form: [['a', '1']] }), (p) => [...p, ['oauth_body_hash', '2jmj7l5rSw0yVb/vlWAYkK/YBwk=']]),
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-body-too-large',
    title: 'a form body past the limit (a framework parser that reads bodies first answers 413 itself)',
    request: (ctx) => signed(ctx, { method: 'POST', form: [['big', big]] }),
    expect: { status: 400, problem: 'parameter_rejected' },
    per: {
      fastify: { status: 413, framework: /too large/i },
      'express-urlencoded': { status: 413, framework: /too large/i },
      'express-raw': { status: 413, framework: /too large/i },
    },
  },
  {
    id: 'reject-basic-auth',
    title: 'another scheme (Basic) is not OAuth credentials',
    request: (ctx) => ({ method: 'GET', url: ctx.server.base + RESOURCE, headers: { Authorization: 'Basic dXNlcjpwYXNz' } }),
    expect: { status: 401, problem: 'parameter_absent' },
  },
  {
    id: 'reject-no-credentials',
    title: 'no credentials at all',
    request: (ctx) => ({ method: 'GET', url: ctx.server.base + RESOURCE, headers: {} }),
    expect: { status: 401, problem: 'parameter_absent' },
  },

  // -- errors that are not the client's ---------------------------------------
  {
    id: 'error-lookup-throws',
    title: "a lookup callback's own error reaches the framework's error path (not an OAuth answer)",
    request: (ctx) => signed(ctx, {}, { client: { key: EXPLODING_CLIENT_KEY, secret: 'x' } }),
    expect: { status: 500, framework: 'framework-error: lookup exploded' },
  },
];

// ---------------------------------------------------------------------------
// The oauthlib-signed subset

interface OauthlibCase {
  id: string;
  protocol(ctx: CaseContext): { request: ProtocolRequest; path: string; query?: Array<[string, string]>; form?: Array<[string, string]> };
  sendTwice?: boolean;
  expect: Expectation;
  check?(json: HandlerJson, ctx: CaseContext): void;
}

function protocolRequest(ctx: CaseContext, over: Partial<ProtocolRequest>): ProtocolRequest {
  return {
    method: 'GET',
    url: ctx.server.base + RESOURCE,
    consumer_key: CLIENT.key,
    consumer_secret: CLIENT.secret,
    token: TOKEN.key,
    token_secret: TOKEN.secret,
    signature_method: 'HMAC-SHA1',
    nonce: randomBytes(12).toString('hex'),
    timestamp: String(ctx.now),
    include_version: true,
    ...over,
  };
}

export const OAUTHLIB_CASES: OauthlibCase[] = [
  {
    id: 'oauthlib-accept-hmac-sha1-header',
    protocol: (ctx) => ({ path: RESOURCE, query: [['q', 'x y']], request: protocolRequest(ctx, { query: [['q', 'x y']] }) }),
    expect: { status: 200 },
    check: (json, ctx) => {
      isClient(json, ctx);
      hasParams(json, [['q', 'x y']]);
    },
  },
  {
    id: 'oauthlib-accept-hmac-sha256',
    protocol: (ctx) => ({ path: RESOURCE, request: protocolRequest(ctx, { signature_method: 'HMAC-SHA256' }) }),
    expect: { status: 200 },
    check: (json) => expect(json.signatureMethod).toBe('HMAC-SHA256'),
  },
  {
    id: 'oauthlib-accept-form-body',
    protocol: (ctx) => {
      const form: Array<[string, string]> = [['status', 'héllo wörld'], ['a', '1'], ['a', '2']];
      return { path: RESOURCE, form, request: protocolRequest(ctx, { method: 'POST', form }) };
    },
    expect: { status: 200 },
    check: (json) => hasParams(json, [['status', 'héllo wörld'], ['a', '2']]),
  },
  {
    id: 'oauthlib-accept-two-legged',
    protocol: (ctx) => ({ path: RESOURCE, request: protocolRequest(ctx, { token: null, token_secret: null }) }),
    expect: { status: 200 },
    check: (json) => expect(json.tokenKey).toBeNull(),
  },
  {
    id: 'oauthlib-accept-rsa-sha1',
    protocol: (ctx) => ({
      path: RESOURCE,
      request: protocolRequest(ctx, { consumer_key: RSA_CLIENT_KEY, consumer_secret: null, signature_method: 'RSA-SHA1', rsa_private_key_pem: RSA_PRIVATE }),
    }),
    expect: { status: 200 },
    check: (json) => expect(json.consumerKey).toBe(RSA_CLIENT_KEY),
  },
  {
    id: 'oauthlib-reject-replay',
    sendTwice: true,
    protocol: (ctx) => ({ path: RESOURCE, request: protocolRequest(ctx, {}) }),
    expect: { status: 401, problem: 'nonce_used' },
  },
];

function oauthlibSent(ctx: CaseContext, c: OauthlibCase): Sent {
  const { request, path, query, form } = c.protocol(ctx);
  const result = oauthlibSign(request);
  if (result.error || result.authorization === null) throw new Error(`oauthlib could not sign ${c.id}: ${result.error ?? 'no header'}`);
  const url = ctx.server.base + path + (query?.length ? `?${formatForm(query)}` : '');
  const headers: Record<string, string> = { Authorization: result.authorization };
  if (form) headers['content-type'] = FORM;
  return { method: request.method, url, headers, body: form ? formatForm(form) : undefined };
}

// ---------------------------------------------------------------------------
// Running it

export async function send(sent: Sent): Promise<Response> {
  const init: RequestInit = { method: sent.method, headers: sent.headers, redirect: 'manual' };
  if (sent.body !== undefined) init.body = sent.body as BodyInit;
  return fetch(sent.url, init);
}

/** Checks one answer against an expectation; returns the handler's JSON for accepted requests. */
export async function expectAnswer(res: Response, want: Expectation): Promise<HandlerJson | undefined> {
  const text = await res.text();
  expect(res.status, text).toBe(want.status);
  const www = res.headers.get('www-authenticate');
  if (want.status === 200) {
    expect(www).toBeNull();
    return JSON.parse(text) as HandlerJson;
  }
  if ('problem' in want) {
    expect(new URLSearchParams(text).get('oauth_problem')).toBe(want.problem);
    expect(www).toMatch(new RegExp(`^OAuth realm="${REALM}", `));
    expect(www).toContain(`oauth_problem="${want.problem}"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  } else if ('framework' in want) {
    // The framework answered: no OAuth problem report leaked into it.
    expect(www).toBeNull();
    expect(text).not.toContain('oauth_problem');
    if (typeof want.framework === 'string') expect(text).toContain(want.framework);
    else expect(text).toMatch(want.framework);
  }
  return undefined;
}

async function run(ctx: CaseContext, sent: Sent, want: Expectation, sendTwice: boolean | undefined, check?: (json: HandlerJson, ctx: CaseContext) => void): Promise<void> {
  if (sendTwice) await expectAnswer(await send(sent), { status: 200 });
  const json = await expectAnswer(await send(sent), want);
  if (json) check?.(json, ctx);
}

/**
 * Registers every case of the table against one server factory. Each server
 * gets its own verifier (its own nonce store).
 */
export function defineHttpSuite(name: string, start: ServerFactory): void {
  const ctx = { now: Math.floor(Date.now() / 1000) } as CaseContext;
  describe(`${name}: HTTP suite`, () => {
    beforeAll(async () => {
      ctx.state = makeVerifier();
      ctx.server = await start(ctx.state.verifier, { bodyLimit: BODY_LIMIT });
      expect(ctx.server.name).toBe(name);
    });
    afterAll(async () => {
      await ctx.server?.close();
    });

    for (const c of CASES) {
      it(`${c.id}: ${c.title}`, async (t) => {
        if (c.mount && !ctx.server.features.mount) t.skip();
        await run(ctx, c.request(ctx), c.per?.[name] ?? c.expect, c.sendTwice, c.check);
      });
    }

    const gate = oauthlibGate();
    describe.skipIf(gate.skip)(`signed by oauthlib${gate.skip ? ` (${gate.reason})` : ''}`, () => {
      beforeAll(() => assertOauthlib());
      for (const c of OAUTHLIB_CASES) {
        it(c.id, async () => {
          await run(ctx, oauthlibSent(ctx, c), c.expect, c.sendTwice, c.check);
        });
      }
    });
  });
}
