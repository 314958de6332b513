/**
 * One HTTP-level suite for every adapter (graphql-http's audit style): a table
 * of cases with stable ids, each a request sent over a real socket to a real
 * server, with the status and `oauth_problem` expected back (read from both
 * the body and `WWW-Authenticate`), or, for accepted requests, checks on the
 * VerifiedRequest the protected handler received.
 *
 * It runs against every setup of the framework x parser matrix (servers.ts
 * and servers-*.ts): each framework version, with each body parser mounted
 * before or after the OAuth middleware. A setup that must answer a case
 * differently says so, with the reason, in its `per` table.
 *
 * Requests are signed with our `sign()`; a subset is signed by Python's
 * oauthlib instead (test/helpers/python.ts, one Python process per server),
 * skipped outside CI when oauthlib is missing and failing in CI.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatForm } from '../../src/core/encoding.js';
import { formatAuthorizationHeader, parseAuthorizationHeader } from '../../src/core/header.js';
import { sign, type SignOptions } from '../../src/client/sign.js';
import { createVerifier, type ClientRecord, type TokenRecord } from '../../src/server/verifier/index.js';
import { assertOauthlib, oauthlibGate, oauthlibSignMany, type ProtocolRequest, type ProtocolResult } from '../helpers/python.js';
import type { Expectation, HandlerJson, ParsedKind, RunningServer, Setup } from './servers.js';

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
  body?: string | Uint8Array | null | undefined;
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
  body?: string | Uint8Array;
  contentType?: string;
}

function draftUrl(ctx: CaseContext, d: Draft): string {
  const url = ctx.server.base + (d.path ?? RESOURCE);
  return d.query?.length ? `${url}?${formatForm(d.query)}` : url;
}

/** Signs a draft with our `sign()`; the default credentials are CLIENT and TOKEN. */
function signed(ctx: CaseContext, d: Draft, opts: Partial<SignOptions> = {}): Sent {
  const headers: Record<string, string> = {};
  let body: string | Uint8Array | undefined;
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

export type { Expectation };

export interface SuiteCase {
  id: string;
  title: string;
  request(ctx: CaseContext): Sent;
  expect: Expectation;
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

const parses = (ctx: CaseContext, kind: ParsedKind): boolean => ctx.server.features.parses.includes(kind);

/** The handler still gets the body its parsers make of it (whether they ran before or after the middleware). */
function parsedAs(json: HandlerJson, ctx: CaseContext, kind: ParsedKind, view: unknown): void {
  if (parses(ctx, kind)) expect(json.parsed).toEqual(view);
}

const XML_BODY = '<?xml version="1.0"?><order><amount>10</amount><note>café</note></order>';
const BINARY_BODY = Uint8Array.from([0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x26, 0x3d, 0xc3, 0x28]);

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
      parsedAs(json, ctx, 'form', { status: 'hello world', a: ['1', '2'] });
    },
  },
  {
    id: 'accept-form-charset',
    title: 'a form with "; charset=utf-8" and non-ASCII text',
    request: (ctx) => signed(ctx, { method: 'PUT', form: [['name', 'café ☕ ü']], contentType: `${FORM}; charset=utf-8` }),
    expect: { status: 200 },
    check(json, ctx) {
      hasParams(json, [['name', 'café ☕ ü']]);
      parsedAs(json, ctx, 'form', { name: 'café ☕ ü' });
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
    check(json, ctx) {
      expect(json.params.some(([n]) => n === 'oauth_body_hash')).toBe(true);
      parsedAs(json, ctx, 'json', { amount: 10, note: 'café' });
    },
  },
  {
    id: 'accept-xml-body-hash',
    title: 'an XML body signed through oauth_body_hash (LTI outcomes, SOAP-style APIs)',
    request: (ctx) => signed(ctx, { method: 'POST', body: XML_BODY, contentType: 'application/xml' }, { bodyHash: true }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      parsedAs(json, ctx, 'xml', XML_BODY);
    },
  },
  {
    id: 'accept-text-body-hash',
    title: 'a text/plain body signed through oauth_body_hash',
    request: (ctx) => signed(ctx, { method: 'PUT', body: 'line one\nline two ☕', contentType: 'text/plain; charset=utf-8' }, { bodyHash: true }),
    expect: { status: 200 },
    check: (json, ctx) => parsedAs(json, ctx, 'text', 'line one\nline two ☕'),
  },
  {
    id: 'accept-binary-body-hash',
    title: 'bytes that are not UTF-8 (application/octet-stream) signed through oauth_body_hash',
    request: (ctx) => signed(ctx, { method: 'POST', body: BINARY_BODY, contentType: 'application/octet-stream' }, { bodyHash: true }),
    expect: { status: 200 },
    check: (json, ctx) => parsedAs(json, ctx, 'bytes', `bytes:${BINARY_BODY.byteLength}`),
  },
  {
    id: 'accept-bracket-names',
    title: 'form names with brackets (ids[]=1&ids[]=2&user[name]=a), which qs parsers nest: signed as sent',
    request: (ctx) => signed(ctx, { method: 'POST', form: [['ids[]', '1'], ['ids[]', '2'], ['user[name]', 'a']] }),
    expect: { status: 200 },
    check(json, ctx) {
      hasParams(json, [['ids[]', '1'], ['ids[]', '2'], ['user[name]', 'a']]);
      const shape = ctx.server.features.formShape;
      if (shape !== null) parsedAs(json, ctx, 'form', shape === 'nested' ? { ids: ['1', '2'], user: { name: 'a' } } : { 'ids[]': ['1', '2'], 'user[name]': 'a' });
    },
  },
  {
    id: 'accept-json-unsigned-body',
    title: 'a JSON body without a body hash is not signed, and is left unread for the application',
    request: (ctx) => signed(ctx, { method: 'POST', body: '{"left":"for the app"}' }),
    expect: { status: 200 },
    check(json, ctx) {
      isClient(json, ctx);
      if (ctx.server.features.rest) expect(json.rest).toBe('{"left":"for the app"}');
      parsedAs(json, ctx, 'json', { left: 'for the app' });
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
    title: 'a form body with invalid percent-encoding (checked over the bytes sent, even where a lenient parser ran first)',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', form: [['q', '1']] }), body: 'q=%zz' }),
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  {
    id: 'reject-body-hash-mismatch',
    title: 'a JSON body changed after signing with oauth_body_hash',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', body: '{"amount":10}' }, { bodyHash: true }), body: '{"amount":99}' }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-xml-body-hash-mismatch',
    title: 'an XML body changed after signing with oauth_body_hash',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', body: XML_BODY, contentType: 'application/xml' }, { bodyHash: true }), body: XML_BODY.replace('10', '99') }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-text-body-hash-mismatch',
    title: 'a text body changed after signing with oauth_body_hash',
    request: (ctx) => ({ ...signed(ctx, { method: 'PUT', body: 'pay 10', contentType: 'text/plain' }, { bodyHash: true }), body: 'pay 99' }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-binary-body-hash-mismatch',
    title: 'bytes changed after signing with oauth_body_hash',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', body: BINARY_BODY, contentType: 'application/octet-stream' }, { bodyHash: true }), body: BINARY_BODY.map((b, i) => (i === 1 ? 0xfd : b)) }),
    expect: { status: 401, problem: 'signature_invalid' },
  },
  {
    id: 'reject-tampered-bracket-form',
    title: 'a bracketed form name changed after signing (user[name] becomes user[role])',
    request: (ctx) => ({ ...signed(ctx, { method: 'POST', form: [['user[name]', 'a']] }), body: 'user%5Brole%5D=a' }),
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
  /** Changes what is sent after oauthlib signed it (a tampered request). */
  tamper?(sent: Sent): Sent;
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

function formCase(id: string, form: Array<[string, string]>, check: (json: HandlerJson, ctx: CaseContext) => void): OauthlibCase {
  return {
    id,
    protocol: (ctx) => ({ path: RESOURCE, form, request: protocolRequest(ctx, { method: 'POST', form }) }),
    expect: { status: 200 },
    check,
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
  formCase('oauthlib-accept-form-body', [['status', 'héllo wörld'], ['a', '1'], ['a', '2']], (json, ctx) => {
    hasParams(json, [['status', 'héllo wörld'], ['a', '2']]);
    parsedAs(json, ctx, 'form', { status: 'héllo wörld', a: ['1', '2'] });
  }),
  formCase('oauthlib-accept-bracket-form', [['ids[]', '1'], ['ids[]', '2'], ['user[name]', 'a']], (json) => {
    hasParams(json, [['ids[]', '1'], ['ids[]', '2'], ['user[name]', 'a']]);
  }),
  {
    ...formCase('oauthlib-reject-tampered-form', [['amount', '10']], () => undefined),
    tamper: (sent) => ({ ...sent, body: 'amount=99' }),
    expect: { status: 401, problem: 'signature_invalid' },
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

/** Signs every oauthlib case for one server, in one Python process. */
function oauthlibSentAll(ctx: CaseContext): Map<string, Sent> {
  const drafts = OAUTHLIB_CASES.map((c) => ({ c, ...c.protocol(ctx) }));
  const results: ProtocolResult[] = oauthlibSignMany(drafts.map((d) => d.request));
  const out = new Map<string, Sent>();
  drafts.forEach(({ c, request, path, query, form }, i) => {
    const result = results[i];
    if (result === undefined || result.error || result.authorization === null) throw new Error(`oauthlib could not sign ${c.id}: ${result?.error ?? 'no header'}`);
    const url = ctx.server.base + path + (query?.length ? `?${formatForm(query)}` : '');
    const headers: Record<string, string> = { Authorization: result.authorization };
    if (form) headers['content-type'] = FORM;
    const sent: Sent = { method: request.method, url, headers, body: form ? formatForm(form) : undefined };
    out.set(c.id, c.tamper ? c.tamper(sent) : sent);
  });
  return out;
}

// ---------------------------------------------------------------------------
// Running it

export async function send(sent: Sent): Promise<Response> {
  const init: RequestInit = { method: sent.method, headers: sent.headers, redirect: 'manual' };
  if (sent.body !== undefined && sent.body !== null) init.body = sent.body as BodyInit;
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
 * Registers every case of the table against one setup of the matrix. Each
 * server gets its own verifier (its own nonce store).
 */
export function defineHttpSuite(setup: Setup): void {
  const ctx = { now: Math.floor(Date.now() / 1000) } as CaseContext;
  const want = (c: { id: string; expect: Expectation }): Expectation => setup.per?.[c.id]?.expect ?? c.expect;
  describe(`${setup.name}: HTTP suite`, () => {
    beforeAll(async () => {
      ctx.state = makeVerifier();
      ctx.server = await setup.start(ctx.state.verifier, { bodyLimit: BODY_LIMIT });
      expect(ctx.server.name).toBe(setup.name);
    });
    afterAll(async () => {
      await ctx.server?.close();
    });

    for (const c of CASES) {
      it(`${c.id}: ${c.title}`, async (t) => {
        if (c.mount && !ctx.server.features.mount) t.skip();
        await run(ctx, c.request(ctx), want(c), c.sendTwice, c.check);
      });
    }

    const gate = oauthlibGate();
    describe.skipIf(gate.skip)(`signed by oauthlib${gate.skip ? ` (${gate.reason})` : ''}`, () => {
      let sent = new Map<string, Sent>();
      beforeAll(() => {
        assertOauthlib();
        sent = oauthlibSentAll(ctx);
      });
      for (const c of OAUTHLIB_CASES) {
        it(c.id, async () => {
          const request = sent.get(c.id);
          if (request === undefined) throw new Error(`${c.id} was not signed`);
          await run(ctx, request, want(c), c.sendTwice, c.check);
        });
      }
    });
  });
}
