import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  createSignedFetch,
  createVerifier,
  generateCredentials,
  OAuthError,
  requestTemporaryCredentials,
  requestTokenCredentials,
  type VerifiedRequest,
} from '../src/index.js';

// A small provider on loopback, built on the verifier, to exercise the client flow over real HTTP.
const client = { key: 'flow-client', secret: 'flow client secret' };
const temporary = new Map<string, { secret: string; verifier: string }>();
const tokens = new Map<string, { secret: string }>();
let server: Server;
let base = '';
let lastVerified: VerifiedRequest | undefined;
let lastBody = '';
let nextAnswer: { status: number; body: string; headers?: Record<string, string> } | undefined;

const verifier = createVerifier({
  lookupClient: (key) => (key === client.key ? { secret: client.secret } : undefined),
  lookupToken: (token) => tokens.get(token) ?? temporary.get(token),
  tokenRequired: false,
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    lastBody = Buffer.concat(chunks).toString('utf8');
    if (nextAnswer) {
      const a = nextAnswer;
      nextAnswer = undefined;
      res.writeHead(a.status, a.headers ?? { 'content-type': 'text/plain' }).end(a.body);
      return;
    }
    try {
      const ok = await verifier.verify({ method: req.method!, url: `http://${req.headers.host}${req.url}`, headers: req.headers, body: Buffer.concat(chunks) });
      lastVerified = ok;
      const oauth = new Map(ok.oauthParams);
      if (req.url === '/initiate') {
        const cred = generateCredentials();
        temporary.set(cred.key, { secret: cred.secret, verifier: 'v-123' });
        res.end(`oauth_token=${cred.key}&oauth_token_secret=${cred.secret}&oauth_callback_confirmed=true`);
      } else if (req.url === '/token') {
        const t = temporary.get(ok.tokenKey ?? '');
        if (!t || oauth.get('oauth_verifier') !== t.verifier) {
          res.writeHead(401, { 'content-type': 'application/x-www-form-urlencoded' }).end('oauth_problem=verifier_invalid');
          return;
        }
        temporary.delete(ok.tokenKey!);
        const cred = generateCredentials();
        tokens.set(cred.key, { secret: cred.secret });
        res.end(`oauth_token=${cred.key}&oauth_token_secret=${cred.secret}&screen_name=ada`);
      } else {
        res.end('ok');
      }
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.writeHead(err.status, err.headers).end(err.body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('three-legged flow (RFC 5849 §2) against a provider on loopback', () => {
  it('gets temporary credentials, builds the authorization URL, gets token credentials, calls the API', async () => {
    const temp = await requestTemporaryCredentials({ url: `${base}/initiate`, client, callback: 'https://app.example/cb' });
    expect(temp.callbackConfirmed).toBe(true);
    expect(new Map(lastVerified!.oauthParams).get('oauth_callback')).toBe('https://app.example/cb');
    const auth = new URL(authorizationUrl(`${base}/authorize?lang=en`, temp.key));
    expect(auth.searchParams.get('lang')).toBe('en');
    expect(auth.searchParams.get('oauth_token')).toBe(temp.key);
    const token = await requestTokenCredentials({ url: `${base}/token`, client, temporary: temp, verifier: 'v-123' });
    expect(token.params).toContainEqual(['screen_name', 'ada']);
    const api = createSignedFetch({ client, token });
    const res = await api(`${base}/resource?x=1`);
    expect(res.status).toBe(200);
    expect(lastVerified!.tokenKey).toBe(token.key);
  });

  it("defaults the callback to 'oob'", async () => {
    await requestTemporaryCredentials({ url: `${base}/initiate`, client });
    expect(new Map(lastVerified!.oauthParams).get('oauth_callback')).toBe('oob');
  });

  it("turns the provider's refusal into an OAuthError with its status and oauth_problem", async () => {
    const temp = await requestTemporaryCredentials({ url: `${base}/initiate`, client });
    const err = await requestTokenCredentials({ url: `${base}/token`, client, temporary: temp, verifier: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 401, problem: 'verifier_invalid' });
    const bad = await requestTemporaryCredentials({ url: `${base}/initiate`, client: { ...client, secret: 'nope' } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('reads oauth_problem from WWW-Authenticate when the body has none', async () => {
    nextAnswer = { status: 401, body: 'nope', headers: { 'www-authenticate': 'OAuth realm="x", oauth_problem="timestamp_refused"' } };
    await expect(requestTemporaryCredentials({ url: `${base}/initiate`, client })).rejects.toMatchObject({ status: 401, problem: 'timestamp_refused' });
  });

  it('refuses an unconfirmed callback unless told OAuth 1.0 providers are fine', async () => {
    nextAnswer = { status: 200, body: 'oauth_token=a&oauth_token_secret=b' };
    await expect(requestTemporaryCredentials({ url: `${base}/initiate`, client })).rejects.toMatchObject({ problem: 'parameter_absent' });
    nextAnswer = { status: 200, body: 'oauth_token=a&oauth_token_secret=b' };
    await expect(requestTemporaryCredentials({ url: `${base}/initiate`, client, requireCallbackConfirmed: false })).resolves.toMatchObject({ key: 'a', secret: 'b', callbackConfirmed: false });
  });

  it('refuses an answer without credentials', async () => {
    nextAnswer = { status: 200, body: '<html>hi</html>' };
    await expect(requestTemporaryCredentials({ url: `${base}/initiate`, client })).rejects.toMatchObject({ problem: 'parameter_absent' });
  });
});

describe('createSignedFetch', () => {
  const token = { key: 'tk', secret: 'ts' };
  beforeAll(() => tokens.set(token.key, { secret: token.secret }));

  it('signs form bodies given as URLSearchParams and as text', async () => {
    const api = createSignedFetch({ client, token });
    expect((await api(`${base}/r`, { method: 'POST', body: new URLSearchParams({ status: 'Hello Ladies + Gentlemen' }) })).status).toBe(200);
    expect(lastVerified!.params).toContainEqual(['status', 'Hello Ladies + Gentlemen']);
    const res = await api(`${base}/r`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2' });
    expect(res.status).toBe(200);
    expect(lastVerified!.params.filter(([n]) => n === 'a')).toHaveLength(2);
  });

  it('sends a JSON body as is, with SHA-1 or SHA-256 body hash by method', async () => {
    for (const [signatureMethod, len] of [['HMAC-SHA1', 28], ['HMAC-SHA256', 44]] as const) {
      const api = createSignedFetch({ client, token, signatureMethod, bodyHash: true });
      const res = await api(`${base}/r`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(res.status).toBe(200);
      expect(lastBody).toBe('{"a":1}');
      expect(new Map(lastVerified!.oauthParams).get('oauth_body_hash')).toHaveLength(len);
    }
  });

  it('never adds a body hash to a form', async () => {
    const api = createSignedFetch({ client, token, bodyHash: true });
    await api(`${base}/r`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(new Map(lastVerified!.oauthParams).has('oauth_body_hash')).toBe(false);
  });

  it('signs a Request object, keeping its method, headers and body', async () => {
    const api = createSignedFetch({ client, token });
    const res = await api(new Request(`${base}/r?q=1`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'k=v' }));
    expect(res.status).toBe(200);
    expect(lastVerified!.params).toEqual(expect.arrayContaining([['q', '1'], ['k', 'v']]));
  });

  it('works with client credentials only ("anonymous"/"anonymous" style) for every method', async () => {
    const api = createSignedFetch({ client, signatureMethod: 'HMAC-SHA512' });
    expect((await api(`${base}/r`)).status).toBe(200);
    expect(lastVerified!.token).toBeUndefined();
  });

  it('refuses a body it cannot know in advance', async () => {
    const api = createSignedFetch({ client, token });
    await expect(api(`${base}/r`, { method: 'POST', body: new FormData() })).rejects.toThrow(/init.body/);
  });
});

describe('generateCredentials', () => {
  it('gives printable URL-safe ASCII with at least 160 bits each, never repeating', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { key, secret } = generateCredentials();
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/); // 32 × 6 = 192 bits
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
      expect(seen.has(key) || seen.has(secret)).toBe(false);
      seen.add(key).add(secret);
    }
  });
});

describe('authorizationUrl options and GET credential requests', () => {
  it('names the token parameter, puts the provider parameters first, and refuses clashes', () => {
    expect(authorizationUrl('https://us.etrade.com/e/t/etws/authorize', 'rt', { key: 'ck' }, { tokenParameter: 'token' })).toBe('https://us.etrade.com/e/t/etws/authorize?key=ck&token=rt');
    expect(authorizationUrl('https://p.example/a?x=1', 'rt', { perms: 'read write' })).toBe('https://p.example/a?x=1&oauth_token=rt&perms=read%20write');
    expect(() => authorizationUrl('https://p.example/a', 'rt', { token: 'x' }, { tokenParameter: 'token' })).toThrow(/"extra\.token" is the token parameter/);
    expect(() => authorizationUrl('https://p.example/a', 'rt', {}, { tokenParameter: '' })).toThrow(/options\.tokenParameter/);
  });

  it('sends a GET with the protocol parameters in the header, and leaves oauth_version out when asked', async () => {
    const temp = await requestTemporaryCredentials({ url: `${base}/initiate`, client, method: 'GET', includeVersion: false });
    expect(temp.callbackConfirmed).toBe(true);
    expect(lastBody).toBe('');
    expect(new Map(lastVerified!.oauthParams).has('oauth_version')).toBe(false);
    await expect(requestTemporaryCredentials({ url: `${base}/initiate`, client, method: 'PUT' as never })).rejects.toThrow(/'GET' or 'POST'/);
  });
});
