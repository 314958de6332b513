/**
 * Provider helpers (RFC 5849 §2, server side): the three endpoints, direct
 * issuance, revocation and the limit hook, driven in-process with our own
 * `sign()` (and once with the client flow helpers over a Fetch adapter).
 */
import { describe, expect, it } from 'vitest';
import {
  OAuthError,
  authorizationUrl,
  createMemoryProviderStore,
  createProvider,
  createSignedFetch,
  parseForm,
  requestTemporaryCredentials,
  requestTokenCredentials,
  sign,
  type HttpRequestLike,
  type ProviderClientRecord,
  type ProviderOptions,
  type SignOptions,
} from '../src/index.js';
import { verifyFetchRequest } from '../src/adapters/fetch.js';

const START = 1_700_000_000_000;
const BASE = 'https://provider.example';
const TEMP_URL = `${BASE}/oauth/request_token`;
const TOKEN_URL = `${BASE}/oauth/access_token`;
const API_URL = `${BASE}/api/me?fields=name`;

const CK = { key: 'ck', secret: 'client secret' };
const OTHER = { key: 'other', secret: 'other secret' };
const REG = { key: 'reg', secret: 'reg secret' };
const STRICT = { key: 'strict', secret: 'strict secret' };
const clients: Record<string, ProviderClientRecord> = {
  ck: { secret: CK.secret },
  other: { secret: OTHER.secret },
  reg: { secret: REG.secret, callbacks: ['https://app.example/cb', 'https://app.example/fixed?mode=a', 'oob'] },
  strict: { secret: STRICT.secret, callbacks: ['https://app.example/cb'] },
};

type Client = { key: string; secret: string };
type Creds = { key: string; secret: string };

function setup(extra: Partial<ProviderOptions> = {}) {
  const clock = { now: START };
  const store = createMemoryProviderStore();
  const provider = createProvider({ lookupClient: (key) => clients[key], store, clock: () => clock.now, ...extra });
  let n = 0;
  const signed = (url: string, opts: Partial<SignOptions> & { client: Client }, method = 'POST'): HttpRequestLike => {
    const s = sign({ method, url }, { timestamp: Math.floor(clock.now / 1000), nonce: `nonce-${++n}`, ...opts });
    return { method: s.method, url: s.url, headers: s.headers, ...(s.body !== null ? { body: s.body } : {}) };
  };
  /** `null`: no oauth_callback at all. */
  const temporaryRequest = (client: Client = CK, callback: string | null = 'https://app.example/cb?x=1') =>
    signed(TEMP_URL, { client, ...(callback !== null ? { callback } : {}) });
  const tokenRequest = (temporary: Creds, verifier: string | undefined, client: Client = CK) =>
    signed(TOKEN_URL, { client, token: temporary, ...(verifier !== undefined ? { verifier } : {}) });
  const resourceRequest = (token: Creds, client: Client = CK) => signed(API_URL, { client, token }, 'GET');

  async function temporary(client: Client = CK, callback?: string): Promise<Creds> {
    const answer = await provider.requestTemporaryCredentials(temporaryRequest(client, callback));
    const fields = new Map(parseForm(answer.body));
    return { key: fields.get('oauth_token')!, secret: fields.get('oauth_token_secret')! };
  }
  async function token(client: Client = CK, owner = 'alice'): Promise<Creds> {
    const temp = await temporary(client);
    const { verifier } = await provider.authorize(temp.key, { owner });
    const answer = await provider.requestTokenCredentials(tokenRequest(temp, verifier, client));
    const fields = new Map(parseForm(answer.body));
    return { key: fields.get('oauth_token')!, secret: fields.get('oauth_token_secret')! };
  }
  return { clock, store, provider, signed, temporaryRequest, tokenRequest, resourceRequest, temporary, token };
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; problem: string; message: string; body: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, problem: err.problem, message: err.message, body: err.body };
    throw err;
  }
  throw new Error('the call succeeded but should have been refused');
}

function typeError(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof TypeError) return { code: (err as TypeError & { code?: string }).code, message: err.message };
    throw err;
  }
  throw new Error('no TypeError was thrown');
}

const CREDENTIAL = /^[A-Za-z0-9_-]+$/;

describe('three-legged flow (RFC 5849 §2)', () => {
  it('temporary credentials → authorization → token credentials → protected resource', async () => {
    const { provider, temporaryRequest, tokenRequest, resourceRequest } = setup();

    // §2.1
    const temp = await provider.requestTemporaryCredentials(temporaryRequest(CK, 'https://app.example/cb?x=1'));
    expect(temp.status).toBe(200);
    expect(temp.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-store' });
    const fields = parseForm(temp.body);
    expect(fields.map(([n]) => n)).toEqual(['oauth_token', 'oauth_token_secret', 'oauth_callback_confirmed']);
    const t = new Map(fields);
    expect(t.get('oauth_callback_confirmed')).toBe('true');
    const tempKey = t.get('oauth_token')!;
    const tempSecret = t.get('oauth_token_secret')!;
    // ≥ 160 bits each, printable URL-safe ASCII
    expect(tempKey).toMatch(CREDENTIAL);
    expect(tempSecret).toMatch(CREDENTIAL);
    expect(tempKey.length * 6).toBeGreaterThanOrEqual(160);
    expect(tempSecret.length * 6).toBeGreaterThanOrEqual(160);
    expect(temp.record).toMatchObject({ key: tempKey, secret: tempSecret, clientKey: 'ck', callback: 'https://app.example/cb?x=1', createdAt: START });
    expect(temp.record.expiresAt).toBe(START + 600_000);

    // §2.2: the consent page, then the owner's explicit approval
    expect(await provider.pendingAuthorization(tempKey)).toEqual({ clientKey: 'ck', callback: 'https://app.example/cb?x=1', expiresAt: START + 600_000 });
    const auth = await provider.authorize(tempKey, { owner: 'alice', attributes: { scope: 'read' } });
    expect(auth.verifier).toMatch(CREDENTIAL);
    expect(auth.verifier.length * 6).toBeGreaterThanOrEqual(160);
    const redirect = new URL(auth.redirectTo!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe('https://app.example/cb');
    expect([...redirect.searchParams]).toEqual([
      ['x', '1'],
      ['oauth_token', tempKey],
      ['oauth_verifier', auth.verifier],
    ]);

    // §2.3
    const issued = await provider.requestTokenCredentials(
      tokenRequest({ key: tempKey, secret: tempSecret }, redirect.searchParams.get('oauth_verifier')!),
    );
    expect(issued.status).toBe(200);
    const tk = new Map(parseForm(issued.body));
    expect([...tk.keys()]).toEqual(['oauth_token', 'oauth_token_secret']);
    const token = { key: tk.get('oauth_token')!, secret: tk.get('oauth_token_secret')! };
    expect(token.key).toMatch(CREDENTIAL);
    expect(token.key).not.toBe(tempKey);
    expect(issued.record).toMatchObject({ key: token.key, secret: token.secret, clientKey: 'ck', owner: 'alice', attributes: { scope: 'read' } });

    // Protected resource
    const ok = await provider.verifier.verify(resourceRequest(token));
    expect(ok.consumerKey).toBe('ck');
    expect(ok.tokenKey).toBe(token.key);
    expect(ok.token).toMatchObject({ owner: 'alice', clientKey: 'ck', attributes: { scope: 'read' } });
    expect(ok.params).toContainEqual(['fields', 'name']);
  });

  it('out of band: no redirect, the verifier is shown to the resource owner', async () => {
    const { provider, temporary, tokenRequest, resourceRequest } = setup();
    const temp = await temporary(CK, 'oob');
    const auth = await provider.authorize(temp.key, { owner: 'bob' });
    expect(auth.redirectTo).toBeUndefined();
    expect(auth.callback).toBe('oob');
    const issued = await provider.requestTokenCredentials(tokenRequest(temp, auth.verifier));
    const tk = new Map(parseForm(issued.body));
    const ok = await provider.verifier.verify(resourceRequest({ key: tk.get('oauth_token')!, secret: tk.get('oauth_token_secret')! }));
    expect(ok.token?.owner).toBe('bob');
  });

  it('accepts the empty oauth_token a client MAY send with its temporary credentials request (§2.1)', async () => {
    const { provider, signed } = setup();
    const answer = await provider.requestTemporaryCredentials(signed(TEMP_URL, { client: CK, callback: 'oob', token: { key: '', secret: '' } }));
    expect(answer.status).toBe(200);
  });

  it('works with the client flow helpers over a Fetch adapter (the request given as a function)', async () => {
    const store = createMemoryProviderStore();
    const provider = createProvider({ lookupClient: (key) => clients[key], store });
    const answer = async (run: () => Promise<{ status: number; headers: Record<string, string>; body: string }>) => {
      try {
        const a = await run();
        return new Response(a.body, { status: a.status, headers: a.headers });
      } catch (err) {
        if (err instanceof OAuthError) return new Response(err.body, { status: err.status, headers: err.headers });
        throw err;
      }
    };
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      if (path === '/oauth/request_token') return answer(() => provider.requestTemporaryCredentials((v) => verifyFetchRequest(v, request)));
      if (path === '/oauth/access_token') return answer(() => provider.requestTokenCredentials((v) => verifyFetchRequest(v, request)));
      return answer(async () => {
        const ok = await verifyFetchRequest(provider.verifier, request);
        return { status: 200, headers: {}, body: `owner=${ok.token?.owner}` };
      });
    }) as typeof fetch;

    const temp = await requestTemporaryCredentials({ url: TEMP_URL, client: CK, callback: 'https://app.example/cb', fetch: fetchImpl });
    expect(temp.callbackConfirmed).toBe(true);
    expect(new URL(authorizationUrl(`${BASE}/oauth/authorize`, temp.key)).searchParams.get('oauth_token')).toBe(temp.key);
    const { verifier } = await provider.authorize(temp.key, { owner: 'carol' });
    const token = await requestTokenCredentials({ url: TOKEN_URL, client: CK, temporary: temp, verifier, fetch: fetchImpl });
    const api = createSignedFetch({ client: CK, token, fetch: fetchImpl });
    const res = await api(API_URL);
    expect(await res.text()).toBe('owner=carol');

    // The same exchange again: the provider's refusal reaches the client as an OAuthError.
    const again = await refusal(requestTokenCredentials({ url: TOKEN_URL, client: CK, temporary: temp, verifier, fetch: fetchImpl }));
    expect(again).toMatchObject({ status: 401, problem: 'token_used' });
  });
});

describe('temporary credentials request (§2.1)', () => {
  it('requires oauth_callback', async () => {
    const { provider, temporaryRequest } = setup();
    const r = await refusal(provider.requestTemporaryCredentials(temporaryRequest(CK, null)));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_absent' });
    expect(r.body).toContain('oauth_parameters_absent=oauth_callback');
  });

  it.each([
    ['not a URI', 'cb.html'],
    ['a fragment', 'https://app.example/cb#frag'],
    ['a script scheme', 'javascript:alert(1)'],
    ['"OOB" (oob is case sensitive)', 'OOB'],
  ])('refuses a callback that is %s', async (_, callback) => {
    const { provider, temporaryRequest } = setup();
    const r = await refusal(provider.requestTemporaryCredentials(temporaryRequest(CK, callback)));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(r.body).toContain('oauth_parameters_rejected=oauth_callback');
  });

  it('accepts any absolute callback for a client without registered callbacks', async () => {
    const { provider, temporaryRequest } = setup();
    await expect(provider.requestTemporaryCredentials(temporaryRequest(CK, 'myapp://oauth/done'))).resolves.toMatchObject({ status: 200 });
  });

  it.each([
    ['the registered URL', REG, 'https://app.example/cb', true],
    ['the registered URL plus a query, when it has none', REG, 'https://APP.example:443/cb?state=xyz', true],
    ['the registered URL with its own query', REG, 'https://app.example/fixed?mode=a', true],
    ['a different query where one is registered', REG, 'https://app.example/fixed?mode=b', false],
    ['another host', REG, 'https://evil.example/cb', false],
    ['another path', REG, 'https://app.example/cb/../other', false],
    ['a path below the registered one', REG, 'https://app.example/cb/more', false],
    ['http instead of https', REG, 'http://app.example/cb', false],
    ['user info in front of the host', REG, 'https://app.example@evil.example/cb', false],
    ['oob, registered', REG, 'oob', true],
    ['oob, not registered', STRICT, 'oob', false],
  ])('checks the callback against the registered ones: %s', async (_, client, callback, accepted) => {
    const { provider, temporaryRequest } = setup();
    const p = provider.requestTemporaryCredentials(temporaryRequest(client, callback));
    if (accepted) await expect(p).resolves.toMatchObject({ status: 200 });
    else expect(await refusal(p)).toMatchObject({ status: 400, problem: 'parameter_rejected', message: expect.stringContaining('oauth_callback') });
  });

  it('authenticates first: a bad signature is 401 even with a bad callback', async () => {
    const { provider, temporaryRequest } = setup();
    const r = await refusal(provider.requestTemporaryCredentials(temporaryRequest({ key: 'ck', secret: 'wrong' }, 'javascript:x')));
    expect(r).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('refuses a request made with a token other than the empty one', async () => {
    const { provider, signed, token } = setup();
    const tk = await token();
    const r = await refusal(provider.requestTemporaryCredentials(signed(TEMP_URL, { client: CK, callback: 'oob', token: tk })));
    // Not a token this endpoint knows: answered like any request that is not authenticated.
    expect(r).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('the limit hook refuses a client holding too many (429 consumer_key_rejected), and frees up as they are used', async () => {
    const store = createMemoryProviderStore();
    const seen: string[] = [];
    const { provider, temporaryRequest, tokenRequest } = setup({
      store,
      allowTemporary: (clientKey, request) => {
        seen.push(`${clientKey}:${request.consumerKey}`);
        return store.countTemporary(clientKey) < 2;
      },
    });
    const first = await provider.requestTemporaryCredentials(temporaryRequest());
    await provider.requestTemporaryCredentials(temporaryRequest());
    expect(store.countTemporary('ck')).toBe(2);
    const r = await refusal(provider.requestTemporaryCredentials(temporaryRequest()));
    expect(r).toMatchObject({ status: 429, problem: 'consumer_key_rejected' });
    expect(store.countTemporary('ck')).toBe(2);
    // Another client is not affected.
    await expect(provider.requestTemporaryCredentials(temporaryRequest(OTHER))).resolves.toMatchObject({ status: 200 });
    // Exchanging one frees a place.
    const { verifier } = await provider.authorize(first.record.key, { owner: 'alice' });
    await provider.requestTokenCredentials(tokenRequest(first.record, verifier));
    expect(store.countTemporary('ck')).toBe(1);
    await expect(provider.requestTemporaryCredentials(temporaryRequest())).resolves.toMatchObject({ status: 200 });
    expect(seen[0]).toBe('ck:ck');
  });

  it('the limit hook is not asked for an unauthenticated request', async () => {
    let calls = 0;
    const { provider, temporaryRequest } = setup({ allowTemporary: () => (calls++, true) });
    await refusal(provider.requestTemporaryCredentials(temporaryRequest({ key: 'ck', secret: 'nope' })));
    await refusal(provider.requestTemporaryCredentials(temporaryRequest({ key: 'nobody', secret: 'x' })));
    expect(calls).toBe(0);
  });
});

describe('authorization (§2.2) and no automatic approval (§4.15)', () => {
  it('a token request before the owner approved is refused (401 permission_unknown) and spends nothing', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    const early = await refusal(provider.requestTokenCredentials(tokenRequest(temp, 'guessed-verifier')));
    expect(early).toMatchObject({ status: 401, problem: 'permission_unknown' });
    // Still usable once the owner approves.
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    await expect(provider.requestTokenCredentials(tokenRequest(temp, verifier))).resolves.toMatchObject({ status: 200 });
  });

  it('approves once: a second authorize is refused', async () => {
    const { provider, temporary } = setup();
    const temp = await temporary();
    await provider.authorize(temp.key, { owner: 'alice' });
    expect(await refusal(provider.authorize(temp.key, { owner: 'mallory' }))).toMatchObject({ status: 401, problem: 'token_used' });
    expect(await refusal(provider.pendingAuthorization(temp.key))).toMatchObject({ status: 401, problem: 'token_used' });
  });

  it('refuses unknown and expired temporary credentials', async () => {
    const { provider, temporary, clock } = setup();
    expect(await refusal(provider.authorize('no-such-key', { owner: 'alice' }))).toMatchObject({ status: 401, problem: 'token_rejected' });
    const temp = await temporary();
    clock.now += 600_000;
    expect(await refusal(provider.pendingAuthorization(temp.key))).toMatchObject({ status: 401, problem: 'token_expired' });
    expect(await refusal(provider.authorize(temp.key, { owner: 'alice' }))).toMatchObject({ status: 401, problem: 'token_expired' });
  });

  it('checks its arguments', () => {
    const { provider } = setup();
    return Promise.all([
      expect(provider.authorize('k', { owner: '' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"approval.owner" must not be empty' }),
      expect(provider.authorize('k', undefined as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' }),
      expect(provider.authorize('', { owner: 'a' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"temporaryKey" must not be empty' }),
    ]);
  });
});

describe('token request (§2.3)', () => {
  it('a wrong verifier is refused (401 verifier_invalid) and spends the temporary credentials', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    const wrong = await refusal(provider.requestTokenCredentials(tokenRequest(temp, `${verifier.slice(0, -1)}${verifier.endsWith('A') ? 'B' : 'A'}`)));
    expect(wrong).toMatchObject({ status: 401, problem: 'verifier_invalid' });
    expect(wrong.body).toContain('oauth_parameters_rejected=oauth_verifier');
    const after = await refusal(provider.requestTokenCredentials(tokenRequest(temp, verifier)));
    expect(after).toMatchObject({ status: 401, problem: 'token_used' });
  });

  it('requires oauth_verifier (400 parameter_absent)', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    await provider.authorize(temp.key, { owner: 'alice' });
    expect(await refusal(provider.requestTokenCredentials(tokenRequest(temp, undefined)))).toMatchObject({ status: 400, problem: 'parameter_absent' });
  });

  it('temporary credentials are used once: a second exchange is 401 token_used, a replayed request 401 nonce_used', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    const request = tokenRequest(temp, verifier);
    await provider.requestTokenCredentials(request);
    expect(await refusal(provider.requestTokenCredentials(request))).toMatchObject({ status: 401, problem: 'nonce_used' });
    expect(await refusal(provider.requestTokenCredentials(tokenRequest(temp, verifier)))).toMatchObject({ status: 401, problem: 'token_used' });
  });

  it('of two concurrent exchanges, exactly one gets token credentials', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => provider.requestTokenCredentials(tokenRequest(temp, verifier))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 401, problem: 'token_used' });
  });

  it('expired temporary credentials are refused (401 token_expired)', async () => {
    const { provider, temporary, tokenRequest, clock } = setup({ temporaryTtl: 60 });
    const temp = await temporary();
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    clock.now += 60_000;
    expect(await refusal(provider.requestTokenCredentials(tokenRequest(temp, verifier)))).toMatchObject({ status: 401, problem: 'token_expired' });
  });

  it('temporary credentials issued to one client cannot be exchanged by another', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary(CK);
    const { verifier } = await provider.authorize(temp.key, { owner: 'alice' });
    const r = await refusal(provider.requestTokenCredentials(tokenRequest(temp, verifier, OTHER)));
    expect(r).toMatchObject({ status: 401, problem: 'token_rejected' });
  });

  it('a request signed without the temporary secret is refused before any state is revealed', async () => {
    const { provider, temporary, tokenRequest } = setup();
    const temp = await temporary();
    // Not approved yet, but the attacker does not hold the secret: signature_invalid, not permission_unknown.
    const r = await refusal(provider.requestTokenCredentials(tokenRequest({ key: temp.key, secret: 'guess' }, 'v')));
    expect(r).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('temporary and token credentials are not interchangeable', async () => {
    const { provider, temporary, token, tokenRequest, resourceRequest } = setup();
    const temp = await temporary();
    // Each is unknown where the other is used: refused like any request that is not authenticated.
    expect(await refusal(provider.verifier.verify(resourceRequest(temp)))).toMatchObject({ status: 401, problem: 'signature_invalid' });
    const tk = await token();
    expect(await refusal(provider.requestTokenCredentials(tokenRequest(tk, 'v')))).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });
});

describe('token credentials', () => {
  it('revocation: later requests get 401 token_revoked', async () => {
    const { provider, token, resourceRequest } = setup();
    const tk = await token();
    await provider.verifier.verify(resourceRequest(tk));
    expect(await provider.revokeToken(tk.key)).toBe(true);
    const r = await refusal(provider.verifier.verify(resourceRequest(tk)));
    expect(r).toMatchObject({ status: 401, problem: 'token_revoked' });
    expect(await provider.revokeToken('unknown')).toBe(false);
  });

  it('direct issuance for a resource owner, without the redirection flow', async () => {
    const { provider, resourceRequest } = setup();
    const record = await provider.issueTokenCredentials({ clientKey: 'ck', owner: 'dev-account', attributes: { scope: 'rw' } });
    expect(record).toMatchObject({ clientKey: 'ck', owner: 'dev-account', createdAt: START, attributes: { scope: 'rw' } });
    expect(record.key).toMatch(CREDENTIAL);
    expect(record.secret.length * 6).toBeGreaterThanOrEqual(160);
    const ok = await provider.verifier.verify(resourceRequest(record));
    expect(ok.token).toMatchObject({ owner: 'dev-account' });
  });

  it('a token is bound to its client: another client signing with it is refused (401 token_rejected)', async () => {
    const { provider, resourceRequest } = setup();
    const record = await provider.issueTokenCredentials({ clientKey: 'ck', owner: 'alice' });
    const r = await refusal(provider.verifier.verify(resourceRequest(record, OTHER)));
    expect(r).toMatchObject({ status: 401, problem: 'token_rejected' });
  });

  it('the resource verifier keeps the verifier options (tokenRequired false accepts two-legged requests)', async () => {
    const { provider, signed } = setup({ tokenRequired: false });
    const ok = await provider.verifier.verify(signed(API_URL, { client: CK }, 'GET'));
    expect(ok.token).toBeUndefined();
  });
});

describe('transport and request forms', () => {
  it('refuses to issue credentials over plain http, except from this machine to itself (by the peer address) or with allowHttp', async () => {
    const { provider, signed } = setup();
    const r = await refusal(provider.requestTemporaryCredentials(signed('http://provider.example/oauth/request_token', { client: CK, callback: 'oob' })));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_rejected', message: expect.stringContaining('https') });
    // From this machine to itself (the peer's address as an adapter reports it): allowed.
    await expect(
      provider.requestTemporaryCredentials(signed('http://127.0.0.1:8080/oauth/request_token', { client: CK, callback: 'oob' }), { remoteAddress: '127.0.0.1' }),
    ).resolves.toMatchObject({ status: 200 });
    await expect(
      provider.requestTemporaryCredentials(signed('http://localhost/oauth/request_token', { client: CK, callback: 'oob' }), { remoteAddress: '::ffff:127.0.0.1' }),
    ).resolves.toMatchObject({ status: 200 });
    // A Host header that says localhost is the client's word, not the transport's: refused from elsewhere, or when the peer is unknown.
    for (const extra of [{ remoteAddress: '203.0.113.9' }, {}]) {
      const local = await refusal(provider.requestTemporaryCredentials(signed('http://localhost/oauth/request_token', { client: CK, callback: 'oob' }), extra));
      expect(local).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    }
    const open = setup({ allowHttp: true });
    await expect(
      open.provider.requestTemporaryCredentials(open.signed('http://provider.example/oauth/request_token', { client: CK, callback: 'oob' })),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('a request function must return what the verifier handed to it returned', async () => {
    const { provider, temporaryRequest, token, resourceRequest } = setup();
    const ok = await provider.requestTemporaryCredentials((v) => v.verify(temporaryRequest()));
    expect(ok.status).toBe(200);
    const tk = await token();
    await expect(provider.requestTemporaryCredentials(() => provider.verifier.verify(resourceRequest(tk)))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });
});

describe('createProvider options', () => {
  const lookupClient = (key: string) => clients[key];
  it.each<[string, Record<string, unknown>, string, string]>([
    ['no store', { store: undefined }, 'ERR_MISSING_OPTION', '"options.store" is required (see createMemoryProviderStore)'],
    ['a store without takeTemporary', { store: { ...createMemoryProviderStore(), takeTemporary: undefined } }, 'ERR_INVALID_ARG_TYPE', '"options.store.takeTemporary" must be a function'],
    ['a zero TTL', { temporaryTtl: 0 }, 'ERR_INVALID_ARG_VALUE', '"options.temporaryTtl" must be a positive finite number of seconds, received 0'],
    ['a limit hook that is not a function', { allowTemporary: 3 }, 'ERR_INVALID_ARG_TYPE', '"options.allowTemporary" must be a function'],
    ['allowHttp not a boolean', { allowHttp: 'yes' }, 'ERR_INVALID_ARG_TYPE', '"options.allowHttp" must be a boolean'],
    ['a lookupToken of its own', { lookupToken: () => undefined }, 'ERR_INVALID_ARG_VALUE', '"options.lookupToken" is not used: the provider reads tokens from options.store'],
    ['no lookupClient', { lookupClient: undefined }, 'ERR_INVALID_ARG_TYPE', '"options.lookupClient" must be a function'],
  ])('%s', (_, extra, code, message) => {
    const opts = { lookupClient, store: createMemoryProviderStore(), ...extra } as unknown as ProviderOptions;
    expect(typeError(() => createProvider(opts))).toEqual({ code, message });
  });
});

describe('createMemoryProviderStore', () => {
  const temp = (key: string, clientKey = 'ck', now = START) => ({
    key,
    secret: 's',
    clientKey,
    callback: 'oob',
    createdAt: now,
    expiresAt: now + 60_000,
  });

  it('is bounded: past maxTemporary live records, saving throws 503 temporarily_unavailable', () => {
    let now = 0;
    const store = createMemoryProviderStore({ maxTemporary: 2, maxTokens: 1, clock: () => now });
    store.saveTemporary(temp('a'));
    store.saveTemporary(temp('b'));
    let err: unknown;
    try {
      store.saveTemporary(temp('c'));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable' });
    // Once they expire (on the store's own clock) there is room again.
    now += 60_000;
    store.saveTemporary(temp('c'));
    expect(store.size).toEqual({ temporary: 1, tokens: 0 });
    store.saveToken({ key: 't1', secret: 's', clientKey: 'ck', owner: 'o', createdAt: 0 });
    expect(() => store.saveToken({ key: 't2', secret: 's', clientKey: 'ck', owner: 'o', createdAt: 0 })).toThrow(OAuthError);
  });

  it('copies records in and out; take is once, approve is once', () => {
    const store = createMemoryProviderStore();
    const record = temp('a');
    store.saveTemporary(record);
    record.secret = 'changed';
    const read = store.getTemporary('a')!;
    expect(read.secret).toBe('s');
    read.clientKey = 'mallory';
    expect(store.getTemporary('a')!.clientKey).toBe('ck');
    expect(store.approveTemporary('a', { verifier: 'v', owner: 'o' })).toMatchObject({ verifier: 'v', owner: 'o' });
    expect(store.approveTemporary('a', { verifier: 'w', owner: 'm' })).toBeUndefined();
    expect(store.countTemporary('ck')).toBe(1);
    expect(store.takeTemporary('a')).toMatchObject({ key: 'a', verifier: 'v' });
    expect(store.takeTemporary('a')).toBeUndefined();
    expect(store.getTemporary('a')).toMatchObject({ used: true });
    expect(store.countTemporary('ck')).toBe(0);
    expect(store.approveTemporary('a', { verifier: 'x', owner: 'o' })).toBeUndefined();
  });

  it('checks its options', () => {
    expect(typeError(() => createMemoryProviderStore({ maxTemporary: 0 }))).toEqual({
      code: 'ERR_INVALID_ARG_VALUE',
      message: '"options.maxTemporary" must be a positive integer, received 0',
    });
    expect(typeError(() => createMemoryProviderStore({ clock: 1 as never })).code).toBe('ERR_INVALID_ARG_TYPE');
  });
});
