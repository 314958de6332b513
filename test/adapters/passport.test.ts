/**
 * oauth1/passport with real Passport 0.7 on real Express 4 and 5 servers:
 * the callbacks passport-http-oauth users wrote, at a provider's request
 * token, access token and API endpoints; signed by our signer and by
 * python3-oauthlib.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import passport from 'passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SignOptions } from '../../src/client/sign.js';
import { ClientStrategy, ConsumerStrategy, TokenStrategy, keepRawBody, type ValidateCallback } from '../../src/adapters/passport.js';
import { assertOauthlib, oauthlibGate, oauthlibSignMany } from '../helpers/python.js';
import { send } from './http-suite.js';

interface Consumer {
  id: string;
  key: string;
  secret: string;
}
const CONSUMERS = new Map<string, Consumer>([['ck', { id: 'consumer-1', key: 'ck', secret: 'consumer secret' }]]);
const REQUEST_TOKENS = new Map([['rt', { secret: 'request token secret', verifier: 'v3rifier' }]]);
const ACCESS_TOKENS = new Map([['at', { secret: 'access token secret', userId: 'user-42', scope: 'read' }]]);
const client = { key: 'ck', secret: 'consumer secret' };

/** Callbacks exactly as passport-http-oauth's README writes them: node-style, asynchronous. */
const consumerCallback = (consumerKey: string, done: (err: unknown, consumer?: Consumer | false, secret?: string) => void): void => {
  setImmediate(() => {
    if (consumerKey === 'explode') return done(new Error('database is down'));
    const consumer = CONSUMERS.get(consumerKey);
    if (!consumer) return done(null, false);
    return done(null, consumer, consumer.secret);
  });
};
const requestTokenCallback = (requestToken: string, done: (err: unknown, secret?: string | false, info?: object) => void): void => {
  setImmediate(() => {
    const token = REQUEST_TOKENS.get(requestToken);
    if (!token) return done(null, false);
    return done(null, token.secret, { verifier: token.verifier });
  });
};
const accessTokenCallback = (accessToken: string, done: (err: unknown, user?: { id: string } | false, secret?: string, info?: object) => void): void => {
  setImmediate(() => {
    const token = ACCESS_TOKENS.get(accessToken);
    if (!token) return done(null, false);
    return done(null, { id: token.userId }, token.secret, { scope: token.scope });
  });
};
const refusedNonces = new Set<string>();
const validate: ValidateCallback = (_timestamp, nonce, done) => done(null, !refusedNonces.has(nonce));

for (const version of [4, 5] as const) {
  const e = (version === 4 ? express4 : express) as typeof express;
  describe(`oauth1/passport on Passport 0.7 and Express ${version}`, () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      const auth = new passport.Passport();
      auth.use('consumer', new ConsumerStrategy(consumerCallback, requestTokenCallback, validate));
      auth.use('token', new TokenStrategy({ realm: 'API' }, consumerCallback, accessTokenCallback, validate));
      const app = e();
      app.use(e.urlencoded({ extended: true, verify: keepRawBody }));
      app.use(e.json({ verify: keepRawBody }));
      const show: express.RequestHandler = (req, res) => {
        const { verified, ...authInfo } = req.authInfo as { verified: { clientKey: string } };
        res.json({ user: req.user, authInfo, clientKey: verified.clientKey, body: req.body ?? null });
      };
      app.post('/oauth/request_token', auth.authenticate('consumer', { session: false }), show);
      app.post('/oauth/access_token', auth.authenticate('consumer', { session: false }), show);
      app.all('/api/me', auth.authenticate('token', { session: false }), show);
      app.use(((err, _req, res, _next) => void res.status(500).send(`error: ${(err as Error).message}`)) as express.ErrorRequestHandler);
      server = createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function call(method: string, path: string, opts: Partial<SignOptions>, body?: { type: string; text: string }, tamper?: string) {
      const headers: Record<string, string> = body ? { 'content-type': body.type } : {};
      const s = sign({ method, url: base + path, headers, body: body?.text }, { client, ...opts });
      const res = await send({ method, url: s.url, headers: s.headers, body: tamper ?? s.body });
      const text = await res.text();
      return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined, www: res.headers.get('www-authenticate') };
    }

    it('request token endpoint: req.user is the consumer, req.authInfo.oauth.callbackURL the callback', async () => {
      const r = await call('POST', '/oauth/request_token', { callback: 'https://app.example/cb' });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ user: CONSUMERS.get('ck'), authInfo: { scheme: 'OAuth', oauth: { callbackURL: 'https://app.example/cb' } }, clientKey: 'ck' });
      expect(Object.keys(r.json.authInfo)).toEqual(['scheme', 'oauth']);
    });

    it('request token endpoint without oauth_callback: 400', async () => {
      const r = await call('POST', '/oauth/request_token', {});
      expect(r.status).toBe(400);
    });

    it("access token endpoint: the token callback's info, the request token and the verifier in req.authInfo", async () => {
      const r = await call('POST', '/oauth/access_token', { token: { key: 'rt', secret: 'request token secret' }, verifier: 'v3rifier' });
      expect(r.status, r.text).toBe(200);
      expect(r.json.authInfo).toEqual({ verifier: 'v3rifier', scheme: 'OAuth', oauth: { token: 'rt', verifier: 'v3rifier' } });
      expect(r.json.user).toEqual(CONSUMERS.get('ck'));
    });

    it('API with TokenStrategy: req.user is the user; authInfo has the scope, the consumer and client', async () => {
      const r = await call('GET', '/api/me?x=1', { token: { key: 'at', secret: 'access token secret' } });
      expect(r.status, r.text).toBe(200);
      expect(r.json.user).toEqual({ id: 'user-42' });
      expect(r.json.authInfo).toEqual({ scope: 'read', scheme: 'OAuth', consumer: CONSUMERS.get('ck'), client: CONSUMERS.get('ck') });
    });

    it('a form body (parsed by the extended parser, checked over the bytes kept by keepRawBody)', async () => {
      const r = await call('POST', '/api/me', { token: { key: 'at', secret: 'access token secret' } }, { type: 'application/x-www-form-urlencoded', text: 'user%5Bname%5D=ann&ids%5B%5D=1' });
      expect(r.status, r.text).toBe(200);
      expect(r.json.body).toEqual({ user: { name: 'ann' }, ids: ['1'] });
      const t = await call('POST', '/api/me', { token: { key: 'at', secret: 'access token secret' } }, { type: 'application/x-www-form-urlencoded', text: 'a=1' }, 'a=2');
      expect(t.status).toBe(401);
      expect(t.www).toMatch(/^OAuth realm="API", oauth_problem="signature_invalid"/);
    });

    it('a JSON body with oauth_body_hash; changed after signing: 401', async () => {
      const opts = { token: { key: 'at', secret: 'access token secret' }, bodyHash: true };
      const ok = await call('PUT', '/api/me', opts, { type: 'application/json', text: '{"n":1}' });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.body).toEqual({ n: 1 });
      const bad = await call('PUT', '/api/me', opts, { type: 'application/json', text: '{"n":1}' }, '{"n":2}');
      expect(bad.status).toBe(401);
    });

    it('refusals: wrong secret, unknown consumer, unknown token, replay, and the app validate() saying no', async () => {
      const token = { key: 'at', secret: 'access token secret' };
      expect((await call('GET', '/api/me', { token: { key: 'at', secret: 'wrong' } })).www).toMatch(/^OAuth realm="API", oauth_problem="signature_invalid"/);
      const unknown = await call('POST', '/oauth/request_token', { client: { key: 'nobody', secret: 'x' }, callback: 'oob' });
      // Which problem an unknown key gets is the verifier's business (it may not say the key is unknown); the realm is the strategy's.
      expect(unknown.status).toBe(401);
      expect(unknown.www).toMatch(/^OAuth realm="Clients", oauth_problem="/);
      expect((await call('GET', '/api/me', { token: { key: 'nope', secret: 'x' } })).status).toBe(401);
      const s = sign({ method: 'GET', url: `${base}/api/me` }, { client, token });
      expect((await send({ method: 'GET', url: s.url, headers: s.headers })).status).toBe(200);
      const replay = await send({ method: 'GET', url: s.url, headers: s.headers });
      expect(replay.status).toBe(401);
      expect(replay.headers.get('www-authenticate')).toMatch(/^OAuth realm="API", oauth_problem="nonce_used"/);
      refusedNonces.add('app-refuses-this-one');
      const refused = await call('GET', '/api/me', { token, nonce: 'app-refuses-this-one' });
      expect(refused.status).toBe(401);
      expect(refused.www).toMatch(/^OAuth realm="API", oauth_problem="nonce_used"/);
    });

    it("a callback's error goes to Express's error path (500), not to an OAuth answer", async () => {
      const r = await call('GET', '/api/me', { client: { key: 'explode', secret: 'x' }, token: { key: 'at', secret: 'access token secret' } });
      expect([r.status, r.text, r.www]).toEqual([500, 'error: database is down', null]);
    });

    const gate = oauthlibGate();
    it.skipIf(gate.skip)(`a request token request signed by python3-oauthlib (${gate.reason})`, () => {
      assertOauthlib();
      const [result] = oauthlibSignMany([{
        method: 'POST', url: `${base}/oauth/request_token`, consumer_key: 'ck', consumer_secret: 'consumer secret', token: null, token_secret: null,
        signature_method: 'HMAC-SHA1', nonce: `n${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), include_version: true,
        extra_oauth: [['oauth_callback', 'https://app.example/cb']],
      }]);
      return send({ method: 'POST', url: `${base}/oauth/request_token`, headers: { Authorization: result?.authorization ?? '' } }).then(async (res) => {
        expect(res.status).toBe(200);
        expect((await res.json()).authInfo.oauth).toEqual({ callbackURL: 'https://app.example/cb' });
      });
    });
  });
}

describe("oauth1/passport behind Express's trust proxy", () => {
  it('with trustFrameworkProxy, checks the URL Express reports (req.protocol, req.host)', async () => {
    const auth = new passport.Passport();
    auth.use('token', new TokenStrategy({ trustFrameworkProxy: true }, consumerCallback, accessTokenCallback));
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/api/me', auth.authenticate('token', { session: false }), (req, res) => void res.json((req.authInfo as { verified: { url: string } }).verified.url));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      // Signed for the public https URL; the proxy (on loopback) says so in X-Forwarded-*.
      const s = sign({ method: 'GET', url: 'https://api.example.com/api/me' }, { client, token: { key: 'at', secret: 'access token secret' } });
      const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { ...s.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toBe('https://api.example.com/api/me');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('oauth1/passport constructors', () => {
  it('take passport-http-oauth arguments, with or without options; refuse what they cannot honour', () => {
    expect(new ConsumerStrategy(consumerCallback, requestTokenCallback).name).toBe('oauth');
    expect(new TokenStrategy({ realm: 'x' }, consumerCallback, accessTokenCallback).name).toBe('oauth');
    expect(ClientStrategy).toBe(ConsumerStrategy);
    expect(() => new (ConsumerStrategy as any)(consumerCallback)).toThrow(expect.objectContaining({ code: 'ERR_MISSING_OPTION' }));
    expect(() => new TokenStrategy({ ignoreVersion: true } as never, consumerCallback, accessTokenCallback)).toThrow(/options\.ignoreVersion/);
  });
});
