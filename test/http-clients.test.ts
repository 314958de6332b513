// The four HTTP-client integrations against the verifier on a real loopback
// server: each signs what its client actually sends (form bodies, JSON bodies
// with oauth_body_hash, the query the client library adds).
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { Agent, request as undiciRequest, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodyHash, createVerifier, OAuthError, type VerifiedRequest } from '../src/index.js';
import { attachToAxios, axiosInterceptor } from '../src/http-clients/axios.js';
import { gotHooks } from '../src/http-clients/got.js';
import { kyHooks } from '../src/http-clients/ky.js';
import { undiciInterceptor } from '../src/http-clients/undici.js';
import type { HttpClientSignOptions } from '../src/http-clients/shared.js';

const client = { key: 'http-client-key', secret: 'http client secret' };
const token = { key: 'http-token', secret: 'http token secret' };

interface Seen {
  verified: VerifiedRequest | undefined;
  error: OAuthError | undefined;
  body: string;
  url: string;
  authorization: string | undefined;
}

let server: Server;
let base = '';
const seen: Seen[] = [];
/** Paths answered 503 once, unverified, to make a client retry. */
const failOnce = new Set<string>();

function verifier(requireBodyHash: boolean) {
  return createVerifier({
    lookupClient: (key) => (key === client.key ? { secret: client.secret } : undefined),
    lookupToken: (t) => (t === token.key ? { secret: token.secret } : undefined),
    tokenRequired: false,
    requireBodyHash,
    signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256'],
  });
}
const plain = verifier(false);
const hashed = verifier(true);

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const entry: Seen = { verified: undefined, error: undefined, body: body.toString('utf8'), url: req.url!, authorization: req.headers.authorization };
    seen.push(entry);
    const path = req.url!.split('?')[0]!;
    if (failOnce.delete(path)) {
      res.writeHead(503).end();
      return;
    }
    const v = req.url!.startsWith('/hashed') ? hashed : plain;
    try {
      entry.verified = await v.verify({ method: req.method!, url: `http://${req.headers.host}${req.url}`, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      entry.error = err;
      res.writeHead(err.status, err.headers).end(err.body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

function last(): Seen {
  const s = seen.at(-1);
  if (!s) throw new Error('the server saw no request');
  return s;
}

function expectAccepted(s: Seen) {
  expect(s.error?.message).toBeUndefined();
  expect(s.verified).toBeDefined();
  return s.verified!;
}

const EMPTY_SHA256 = bodyHash('', 'SHA-256');
const json = { name: 'Ada', tags: ['a', 'b'], note: 'Hello Ladies + Gentlemen' };

interface Harness {
  name: string;
  /** POST a form given as URLSearchParams the client library encodes. */
  form(path: string, fields: URLSearchParams): Promise<void>;
  /** POST a JSON value the client library serializes. */
  json(path: string, value: unknown): Promise<void>;
  /** GET with a query the client library adds from an object. */
  query(path: string, params: Record<string, string | string[]>): Promise<void>;
}

function harnesses(opts: HttpClientSignOptions): Harness[] {
  const ax = axios.create({ baseURL: `${base}/`, validateStatus: () => true });
  attachToAxios(ax, opts);
  const gotApi = got.extend({ prefixUrl: base, hooks: gotHooks(opts), throwHttpErrors: false, retry: { limit: 0 } });
  const kyApi = ky.create({ prefixUrl: base, hooks: kyHooks(opts), throwHttpErrors: false, retry: 0 });
  const dispatcher = new Agent().compose(undiciInterceptor(opts));
  return [
    {
      name: 'axios',
      form: async (p, f) => void (await ax.post(p, f)),
      json: async (p, v) => void (await ax.post(p, v)),
      query: async (p, q) => void (await ax.get(p, { params: q, paramsSerializer: { indexes: null } })),
    },
    {
      name: 'got',
      // got's form option takes a plain object (one value per name); repeated names go as text.
      form: async (p, f) =>
        void (await (new Set(f.keys()).size === [...f.keys()].length
          ? gotApi.post(p, { form: Object.fromEntries(f) })
          : gotApi.post(p, { body: f.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }))),
      json: async (p, v) => void (await gotApi.post(p, { json: v })),
      query: async (p, q) => void (await gotApi.get(p, { searchParams: new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))) })),
    },
    {
      name: 'ky',
      form: async (p, f) => void (await kyApi.post(p, { body: f })),
      json: async (p, v) => void (await kyApi.post(p, { json: v })),
      query: async (p, q) => void (await kyApi.get(p, { searchParams: new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))) })),
    },
    {
      name: 'undici',
      // undici takes a form as text under its content type.
      form: async (p, f) => void (await (await undiciRequest(`${base}/${p}`, { method: 'POST', body: f.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher })).body.text()),
      json: async (p, v) => void (await (await undiciRequest(`${base}/${p}`, { method: 'POST', body: JSON.stringify(v), headers: { 'content-type': 'application/json' }, dispatcher })).body.text()),
      query: async (p, q) => void (await (await undiciRequest(`${base}/${p}`, { method: 'GET', query: q, dispatcher })).body.text()),
    },
  ];
}

describe.each(['header', 'query'] as const)('with the protocol parameters in the %s', (placement) => {
  it.each(['axios', 'got', 'ky', 'undici'])('%s: a form body the library encodes is signed', async (name) => {
    const h = harnesses({ client, token, placement }).find((x) => x.name === name)!;
    await h.form('plain/form', new URLSearchParams([['status', 'Hello Ladies + Gentlemen'], ['emoji', 'é☃'], ['empty', '']]));
    expect(expectAccepted(last()).params).toEqual(expect.arrayContaining([['status', 'Hello Ladies + Gentlemen'], ['emoji', 'é☃'], ['empty', '']]));
  });

  it.each(['axios', 'got', 'ky', 'undici'])('%s: a form body with repeated names and a query is signed, parameter by parameter', async (name) => {
    const h = harnesses({ client, token, placement }).find((x) => x.name === name)!;
    await h.form('plain/form?x=1', new URLSearchParams([['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'], ['a', '1'], ['a', '2']]));
    const v = expectAccepted(last());
    expect(v.params).toEqual(expect.arrayContaining([['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'], ['x', '1']]));
    expect(v.params.filter(([n]) => n === 'a')).toEqual([['a', '1'], ['a', '2']]);
    expect(v.tokenKey).toBe(token.key);
    expect(Boolean(last().authorization)).toBe(placement === 'header');
    expect(last().url.includes('oauth_signature=')).toBe(placement === 'query');
  });

  it.each(['axios', 'got', 'ky', 'undici'])('%s: a JSON body is sent as serialized, with its SHA-256 body hash', async (name) => {
    const h = harnesses({ client, token, placement, signatureMethod: 'HMAC-SHA256', bodyHash: true }).find((x) => x.name === name)!;
    await h.json('hashed/json', json);
    const v = expectAccepted(last());
    expect(JSON.parse(last().body)).toEqual(json);
    expect(new Map(v.oauthParams).get('oauth_body_hash')).toBe(bodyHash(last().body, 'SHA-256'));
    expect(v.params.some(([n]) => n === 'name')).toBe(false);
  });

  it.each(['axios', 'got', 'ky', 'undici'])('%s: the query the client library adds is signed', async (name) => {
    const h = harnesses({ client, token, placement }).find((x) => x.name === name)!;
    await h.query('plain/search', { q: 'a b+c/é', tag: ['x', 'y'] });
    const v = expectAccepted(last());
    expect(v.params).toEqual(expect.arrayContaining([['q', 'a b+c/é'], ['tag', 'x'], ['tag', 'y']]));
  });

  it.each(['axios', 'got', 'ky', 'undici'])('%s: a GET carries the body hash of the empty string when asked (Mastercard)', async (name) => {
    const h = harnesses({ client, placement, signatureMethod: 'HMAC-SHA256', bodyHash: 'SHA-256' }).find((x) => x.name === name)!;
    await h.query('hashed/get', { id: '7' });
    const v = expectAccepted(last());
    expect(new Map(v.oauthParams).get('oauth_body_hash')).toBe(EMPTY_SHA256);
    expect(v.token).toBeUndefined();
  });
});

describe('the integrations refuse what they cannot sign, and do not sign what they should not', () => {
  it('checks the options when created, not at the first request', () => {
    expect(() => gotHooks({ client: { key: 'k' } } as HttpClientSignOptions)).toThrow(/options\.client\.secret/);
    expect(() => kyHooks({ client, placement: 'body' } as unknown as HttpClientSignOptions)).toThrow(/'header' or 'query'/);
    expect(() => undiciInterceptor({ client, nonce: 'fixed' } as unknown as HttpClientSignOptions)).toThrow(/repeat on every request/);
    expect(() => axiosInterceptor({} as never, { client })).toThrow(/getUri/);
  });

  it('refuses a stream body when it must be signed, and sends an unsigned stream otherwise', async () => {
    const dispatcher = new Agent().compose(undiciInterceptor({ client, token }));
    await expect(
      undiciRequest(`${base}/plain/stream`, { method: 'POST', body: Readable.from(['a=1']), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher }),
    ).rejects.toThrow(/stream under application\/x-www-form-urlencoded/);
    const res = await undiciRequest(`${base}/plain/stream`, { method: 'POST', body: Readable.from(['{"a":1}']), headers: { 'content-type': 'application/json' }, dispatcher });
    await res.body.text();
    expectAccepted(last());
    expect(last().body).toBe('{"a":1}');
  });

  it('got signs again, with a new nonce and one set of protocol parameters, when it retries', async () => {
    const api = got.extend({
      prefixUrl: base,
      hooks: gotHooks({ client, token, placement: 'query' }),
      retry: { limit: 1, methods: ['GET'], statusCodes: [503], calculateDelay: ({ attemptCount }) => (attemptCount <= 1 ? 1 : 0) },
      throwHttpErrors: false,
    });
    failOnce.add('/plain/retry');
    await api.get('plain/retry', { searchParams: { z: '1' } });
    expect(seen).toHaveLength(2);
    const nonce = (s: Seen) => new URL(s.url, base).searchParams.getAll('oauth_nonce');
    expect(nonce(seen[0]!)).toHaveLength(1);
    expect(nonce(seen[1]!)).toHaveLength(1);
    expect(nonce(seen[1]!)[0]).not.toBe(nonce(seen[0]!)[0]);
    expect(expectAccepted(seen[1]!).params).toContainEqual(['z', '1']);
  });

  it("undici's fetch through the composed dispatcher: a query is signed; a form body, which fetch streams, is refused with a way out", async () => {
    const dispatcher = new Agent().compose(undiciInterceptor({ client, token }));
    const res = await undiciFetch(`${base}/plain/fetch?x=2&y=%20`, { dispatcher });
    expect(res.status).toBe(200);
    expect(expectAccepted(last()).params).toEqual(expect.arrayContaining([['x', '2'], ['y', ' ']]));
    const err = await undiciFetch(`${base}/plain/fetch`, { method: 'POST', body: new URLSearchParams({ k: 'v' }), dispatcher }).catch((e: unknown) => e);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
    expect(((err as Error).cause as Error).message).toMatch(/createSignedFetch/);
  });

  it('a wrong secret is refused by the verifier (the integration is not a no-op)', async () => {
    const [ax] = harnesses({ client: { ...client, secret: 'wrong' }, token });
    await ax!.query('plain/bad', { a: '1' });
    expect(last().error).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });
});
