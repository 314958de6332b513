import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createVerifier, OAuthError, sign, type SignOptions, type VerifierOptions, type VerifyDebugInfo } from '../src/index.js';

const NOW = 1_700_000_000_000;
const clients: Record<string, { secret?: string; publicKey?: string; signatureMethods?: string[] }> = {
  ck: { secret: 'client secret' },
  rsa: { publicKey: readFileSync(new URL('./fixtures/rsa-cert.pem', import.meta.url), 'utf8') },
  limited: { secret: 'x', signatureMethods: ['HMAC-SHA256'] },
};
const tokens: Record<string, { secret: string; revoked?: boolean }> = {
  tk: { secret: 'token secret' },
  gone: { secret: 'gone secret', revoked: true },
};
const privateKey = readFileSync(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');

function verifierWith(extra: Partial<VerifierOptions> = {}) {
  return createVerifier({
    lookupClient: (key) => clients[key],
    lookupToken: (token) => tokens[token],
    clock: () => NOW,
    ...extra,
  });
}

let n = 0;
function signed(req: { method?: string; url?: string; headers?: Record<string, string>; body?: string }, opts: Partial<SignOptions> = {}) {
  const s = sign(
    { method: req.method ?? 'GET', url: req.url ?? 'https://api.example.com/items?b=2&a=1', headers: req.headers ?? {}, body: req.body },
    {
      client: { key: 'ck', secret: 'client secret' },
      token: { key: 'tk', secret: 'token secret' },
      timestamp: NOW / 1000,
      nonce: `nonce-${++n}`,
      ...opts,
    },
  );
  return { method: s.method, url: s.url, headers: s.headers, body: s.body };
}

async function problem(p: Promise<unknown>): Promise<{ status: number; problem: string; message: string; www: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, problem: err.problem, message: err.message, www: err.wwwAuthenticate };
    throw err;
  }
  throw new Error('verification passed but should have failed');
}

describe('createVerifier options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['no lookupClient', { lookupClient: undefined }, 'options.lookupClient'],
    ['lookupToken missing while tokens are required', { lookupToken: undefined }, 'options.lookupToken'],
    ['unknown method in allowlist', { signatureMethods: ['HMAC-MD5'] }, 'options.signatureMethods[0]'],
    ['empty allowlist', { signatureMethods: [] }, 'options.signatureMethods'],
    ['negative window', { timestampWindow: { past: -1 } }, 'options.timestampWindow.past'],
    ['bad clock', { clock: 5 }, 'options.clock'],
    ['bad publicUrl', { publicUrl: 'not a url' }, 'options.publicUrl'],
    ['bad nonce store', { nonceStore: {} }, 'options.nonceStore'],
    ['bad limit', { limits: { parameters: 0 } }, 'options.limits.parameters'],
  ])('%s is a TypeError naming %s', (_l, extra, path) => {
    expect(() => verifierWith(extra as Partial<VerifierOptions>)).toThrowError(expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(`"${path}"`) }));
  });
});

describe('verify: accepted requests', () => {
  it('accepts a signed request and returns the records and parameters', async () => {
    const v = verifierWith({ realm: 'api' });
    const out = await v.verify(signed({}, { realm: 'Photos' }));
    expect(out.client).toBe(clients['ck']);
    expect(out.token).toBe(tokens['tk']);
    expect(out.consumerKey).toBe('ck');
    expect(out.tokenKey).toBe('tk');
    expect(out.signatureMethod).toBe('HMAC-SHA1');
    expect(out.realm).toBe('Photos');
    expect(out.params).toContainEqual(['a', '1']);
    expect(out.params.map(([k]) => k)).not.toContain('oauth_signature');
    expect(out.oauthParams.map(([k]) => k)).toContain('oauth_signature');
    expect(out.timestamp).toBe(NOW / 1000);
  });
  it.each(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'])('accepts %s', async (m) => {
    await expect(verifierWith().verify(signed({}, { signatureMethod: m }))).resolves.toMatchObject({ signatureMethod: m });
  });
  it.each(['RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512'])('accepts %s with the client public key (certificate)', async (m) => {
    const req = signed({}, { signatureMethod: m, client: { key: 'rsa', privateKey }, token: undefined });
    await expect(verifierWith({ tokenRequired: false }).verify(req)).resolves.toMatchObject({ consumerKey: 'rsa', token: undefined });
  });
  it('accepts query and body placement and form bodies', async () => {
    const v = verifierWith();
    await expect(v.verify(signed({}, { placement: 'query' }))).resolves.toBeTruthy();
    const form = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1&x=2&y=a+b' };
    await expect(v.verify(signed(form))).resolves.toMatchObject({ params: expect.arrayContaining([['y', 'a b']]) });
    await expect(v.verify(signed(form, { placement: 'body' }))).resolves.toBeTruthy();
  });
  it('accepts PLAINTEXT over https when listed, and without timestamp and nonce (RFC 5849 §3.1)', async () => {
    const v = verifierWith({ signatureMethods: ['PLAINTEXT'] });
    await expect(v.verify(signed({}, { signatureMethod: 'PLAINTEXT' }))).resolves.toBeTruthy();
    const bare = { method: 'GET', url: 'https://api.example.com/', headers: { Authorization: 'OAuth oauth_consumer_key="ck", oauth_token="tk", oauth_signature_method="PLAINTEXT", oauth_signature="client%2520secret%26token%2520secret"' } };
    await expect(v.verify(bare)).resolves.toMatchObject({ nonce: undefined, timestamp: undefined });
  });
  it('accepts client-credentials-only requests when tokens are not required', async () => {
    const v = createVerifier({ lookupClient: (k) => clients[k], tokenRequired: false, clock: () => NOW });
    await expect(v.verify(signed({}, { token: undefined }))).resolves.toMatchObject({ token: undefined, tokenKey: undefined });
  });
  it('takes an empty oauth_token as no token (RFC 5849 §2.1), and as absent when a token is required', async () => {
    const two = createVerifier({ lookupClient: (k) => clients[k], tokenRequired: false, clock: () => NOW });
    const emptyToken = signed({}, { token: { key: '', secret: '' } });
    expect(emptyToken.headers['Authorization']).toContain('oauth_token=""');
    await expect(two.verify(emptyToken)).resolves.toMatchObject({ tokenKey: undefined, token: undefined });
    expect(await problem(verifierWith().verify(signed({}, { token: { key: '', secret: '' } })))).toMatchObject({ status: 400, problem: 'parameter_absent' });
  });
  it('checks oauth_body_hash of a JSON body', async () => {
    const v = verifierWith({ requireBodyHash: true });
    const json = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' };
    const ok = signed(json, { bodyHash: true, signatureMethod: 'HMAC-SHA256' });
    await expect(v.verify(ok)).resolves.toBeTruthy();
    const tampered = { ...signed(json, { bodyHash: true }), body: '{"a":2}' };
    expect(await problem(v.verify(tampered))).toMatchObject({ status: 401, problem: 'signature_invalid' });
    expect(await problem(v.verify(signed(json)))).toMatchObject({ status: 400, problem: 'parameter_absent' });
  });
  it('hands the callbacks a context with the request and extra data', async () => {
    const lookupClient = vi.fn((key: string) => clients[key]);
    const v = createVerifier({ lookupClient, lookupToken: (t) => tokens[t], clock: () => NOW });
    await v.verify(signed({}), { remoteAddress: '127.0.0.1' });
    expect(lookupClient).toHaveBeenCalledWith('ck', expect.objectContaining({ extra: { remoteAddress: '127.0.0.1' }, signatureMethod: 'HMAC-SHA1', request: expect.objectContaining({ method: 'GET', url: 'https://api.example.com/items?b=2&a=1' }) }));
  });
  it('verifies against the snapshot, not a request a callback mutates', async () => {
    const req = signed({});
    const v = createVerifier({
      lookupClient: (k) => {
        req.url = 'https://evil.example/';
        return clients[k];
      },
      lookupToken: (t) => tokens[t],
      clock: () => NOW,
    });
    await expect(v.verify(req)).resolves.toMatchObject({ url: 'https://api.example.com/items?b=2&a=1' });
  });
});

describe('verify: public URL', () => {
  const internal = (s: ReturnType<typeof signed>, headers: Record<string, string> = {}) => ({
    ...s,
    url: s.url.replace('https://api.example.com', 'http://10.0.0.5:8080'),
    headers: { ...s.headers, ...headers },
  });
  it('ignores proxy headers unless trusted', async () => {
    const req = internal(signed({}), { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' });
    expect(await problem(verifierWith().verify(req))).toMatchObject({ problem: 'signature_invalid' });
    await expect(verifierWith({ trustProxy: true }).verify(internal(signed({}), { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' }))).resolves.toBeTruthy();
  });
  it('reads Forwarded (RFC 7239) when told to: the element the trusted proxy appended', async () => {
    const req = internal(signed({}), { Forwarded: 'for=1.2.3.4;proto=http;host=evil.example, for=10.0.0.1;proto=https;host="api.example.com"' });
    await expect(verifierWith({ trustProxy: { headers: 'forwarded' } }).verify(req)).resolves.toBeTruthy();
  });
  it('reads X-Forwarded-Port', async () => {
    const s = signed({ url: 'https://api.example.com:8443/x' });
    const req = { ...s, url: 'http://10.0.0.5/x', headers: { ...s.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com', 'x-forwarded-port': '8443' } };
    await expect(verifierWith({ trustProxy: true }).verify(req)).resolves.toBeTruthy();
  });
  it('uses an explicit publicUrl base', async () => {
    const req = internal(signed({}));
    await expect(verifierWith({ publicUrl: 'https://api.example.com' }).verify(req)).resolves.toMatchObject({ url: 'https://api.example.com/items?b=2&a=1' });
  });
});

describe('verify: rejected requests, with status and problem', () => {
  const v = verifierWith();
  it('wrong client secret → 401 signature_invalid', async () => {
    const r = await problem(v.verify(signed({}, { client: { key: 'ck', secret: 'wrong' } })));
    expect(r).toMatchObject({ status: 401, problem: 'signature_invalid' });
    expect(r.www).toMatch(/^OAuth .*oauth_problem="signature_invalid"/);
  });
  it('wrong token secret → 401 signature_invalid', async () => {
    expect(await problem(v.verify(signed({}, { token: { key: 'tk', secret: 'wrong' } })))).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });
  it('tampered parameter, method or URL → 401 signature_invalid', async () => {
    const s = signed({});
    expect(await problem(v.verify({ ...s, url: s.url.replace('a=1', 'a=2') }))).toMatchObject({ problem: 'signature_invalid' });
    expect(await problem(v.verify({ ...signed({}), method: 'DELETE' }))).toMatchObject({ problem: 'signature_invalid' });
    const s2 = signed({});
    expect(await problem(v.verify({ ...s2, url: s2.url.replace('/items', '/Items') }))).toMatchObject({ problem: 'signature_invalid' });
  });
  it('tampered form body → 401 signature_invalid', async () => {
    const s = signed({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'amount=1' });
    expect(await problem(v.verify({ ...s, body: 'amount=100' }))).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });
  it('unknown client or token → 401 signature_invalid, the same answer as a wrong signature; revoked (proven by its secret) → token_revoked', async () => {
    const wrong = await problem(v.verify(signed({}, { client: { key: 'ck', secret: 'wrong' } })));
    expect(wrong).toMatchObject({ status: 401, problem: 'signature_invalid' });
    for (const req of [signed({}, { client: { key: 'nobody', secret: 'x' } }), signed({}, { token: { key: 'nope', secret: 'x' } })]) {
      expect(await problem(v.verify(req))).toEqual(wrong);
    }
    expect(await problem(v.verify(signed({}, { token: { key: 'gone', secret: 'gone secret' } })))).toMatchObject({ status: 401, problem: 'token_revoked' });
    expect(await problem(v.verify(signed({}, { token: { key: 'gone', secret: 'not its secret' } })))).toEqual(wrong);
  });
  it('with detailedErrors: unknown client → consumer_key_unknown; unknown token → token_rejected', async () => {
    const detailed = verifierWith({ detailedErrors: true });
    expect(await problem(detailed.verify(signed({}, { client: { key: 'nobody', secret: 'x' } })))).toMatchObject({ status: 401, problem: 'consumer_key_unknown' });
    expect(await problem(detailed.verify(signed({}, { token: { key: 'nope', secret: 'x' } })))).toMatchObject({ status: 401, problem: 'token_rejected' });
  });
  it('missing token when required → 400 parameter_absent', async () => {
    expect(await problem(v.verify(signed({}, { token: undefined })))).toMatchObject({ status: 400, problem: 'parameter_absent' });
  });
  it('method not allowed → 400 signature_method_rejected; not allowed for this client → 401', async () => {
    expect(await problem(v.verify(signed({}, { signatureMethod: 'PLAINTEXT' })))).toMatchObject({ status: 400, problem: 'signature_method_rejected' });
    // A client signing with its real secret but a method it may not use learns why.
    const limited = await problem(v.verify(signed({}, { client: { key: 'limited', secret: 'x' } })));
    expect(limited).toMatchObject({ status: 401, problem: 'signature_method_rejected' });
    // An RSA-only client has no shared secret to prove: the answer does not tell what the client may use.
    expect(await problem(v.verify(signed({}, { client: { key: 'rsa', secret: 'x' } })))).toMatchObject({ problem: 'signature_invalid' });
    expect(await problem(verifierWith({ detailedErrors: true }).verify(signed({}, { client: { key: 'rsa', secret: 'x' } })))).toMatchObject({ problem: 'signature_method_rejected' });
  });
  it('PLAINTEXT over http → 400 signature_method_rejected, unless explicitly allowed', async () => {
    const req = signed({ url: 'http://api.example.com/' }, { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true });
    expect(await problem(verifierWith({ signatureMethods: ['PLAINTEXT'] }).verify(req))).toMatchObject({ status: 400, problem: 'signature_method_rejected' });
    const again = signed({ url: 'http://api.example.com/' }, { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true });
    await expect(verifierWith({ signatureMethods: ['PLAINTEXT'], allowPlaintextOverHttp: true }).verify(again)).resolves.toBeTruthy();
  });
  it('bad version → 400 version_rejected', async () => {
    const s = signed({});
    const req = { ...s, headers: { Authorization: s.headers['Authorization']!.replace('oauth_version="1.0"', 'oauth_version="2.0"') } };
    const r = await problem(v.verify(req));
    expect(r).toMatchObject({ status: 400, problem: 'version_rejected' });
    expect(r.www).toContain('oauth_acceptable_versions="1.0-1.0"');
  });
  it('timestamp too old or too far ahead → 401 timestamp_refused with the acceptable range', async () => {
    const old = await problem(v.verify(signed({}, { timestamp: NOW / 1000 - 301 })));
    expect(old).toMatchObject({ status: 401, problem: 'timestamp_refused' });
    expect(old.www).toContain(`oauth_acceptable_timestamps="${NOW / 1000 - 300}-${NOW / 1000 + 300}"`);
    expect(await problem(v.verify(signed({}, { timestamp: NOW / 1000 + 301 })))).toMatchObject({ problem: 'timestamp_refused' });
    const narrow = verifierWith({ timestampWindow: { past: 10, future: 0 } });
    expect(await problem(narrow.verify(signed({}, { timestamp: NOW / 1000 + 1 })))).toMatchObject({ problem: 'timestamp_refused' });
    await expect(narrow.verify(signed({}, { timestamp: NOW / 1000 - 10 }))).resolves.toBeTruthy();
  });
  it('malformed timestamp → 400 parameter_rejected', async () => {
    const s = signed({});
    const req = { ...s, headers: { Authorization: s.headers['Authorization']!.replace(/oauth_timestamp="\d+"/, 'oauth_timestamp="-5"') } };
    expect(await problem(v.verify(req))).toMatchObject({ status: 400, problem: 'parameter_rejected' });
  });
  it('reused nonce → 401 nonce_used; the nonce of a rejected request is not used up', async () => {
    const verifier = verifierWith();
    const good = signed({});
    await verifier.verify(good);
    expect(await problem(verifier.verify(good))).toMatchObject({ status: 401, problem: 'nonce_used' });
    const s = signed({});
    expect(await problem(verifier.verify({ ...s, method: 'POST' }))).toMatchObject({ problem: 'signature_invalid' });
    await expect(verifier.verify(s)).resolves.toBeTruthy();
  });
  it('repeated protocol parameter in the header or across locations → 400 parameter_rejected', async () => {
    const s = signed({});
    const dup = { ...s, headers: { Authorization: `${s.headers['Authorization']}, oauth_nonce="x"` } };
    expect(await problem(v.verify(dup))).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    const s2 = signed({});
    const across = { ...s2, url: `${s2.url}&oauth_consumer_key=ck` };
    const r = await problem(v.verify(across));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(r.www).toContain('oauth_parameters_rejected="oauth_consumer_key"');
  });
  it('protocol parameters split between header and query → 400 parameter_rejected (RFC 5849 §3.5)', async () => {
    const s = signed({}, { placement: 'query' });
    const url = new URL(s.url);
    const nonce = url.searchParams.get('oauth_nonce')!;
    url.searchParams.delete('oauth_nonce');
    const split = { ...s, url: url.href, headers: { Authorization: `OAuth oauth_nonce="${nonce}"` } };
    const r = await problem(v.verify(split));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(r.message).toMatch(/one place/);
  });
  it('missing parameters → 400 parameter_absent listing them', async () => {
    const r = await problem(v.verify({ method: 'GET', url: 'https://api.example.com/', headers: { Authorization: 'OAuth oauth_consumer_key="ck"' } }));
    expect(r).toMatchObject({ status: 400, problem: 'parameter_absent' });
    expect(r.www).toContain('oauth_parameters_absent="oauth_signature_method&oauth_signature&oauth_timestamp&oauth_nonce&oauth_token"');
  });
  it('no OAuth at all, or a Basic/Bearer header → 401 parameter_absent, an OAuthError', async () => {
    for (const headers of [{}, { Authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer abc' }]) {
      expect(await problem(v.verify({ method: 'GET', url: 'https://api.example.com/', headers }))).toMatchObject({ status: 401, problem: 'parameter_absent' });
    }
  });
  it('malformed header or invalid percent-encoding → 400 parameter_rejected', async () => {
    for (const Authorization of ['OAuth oauth_consumer_key="ck', 'OAuth oauth_consumer_key="%zz"', 'OAuth oauth_consumer_key="%C3%28"']) {
      expect(await problem(v.verify({ method: 'GET', url: 'https://api.example.com/', headers: { Authorization } }))).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    }
    expect(await problem(v.verify({ ...signed({}), url: 'https://api.example.com/?q=%E2%82' }))).toMatchObject({ status: 400 });
  });
  it('body hash on a form body → 400', async () => {
    const s = signed({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    const req = { ...s, headers: { ...s.headers, Authorization: `${s.headers['Authorization']}, oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D"` } };
    expect(await problem(v.verify(req))).toMatchObject({ status: 400, problem: 'parameter_rejected' });
  });
  it('limits: header length, parameter count, body size → 400', async () => {
    const small = verifierWith({ limits: { headerLength: 100, parameters: 3, bodyBytes: 10 } });
    expect(await problem(small.verify(signed({})))).toMatchObject({ status: 400, message: expect.stringContaining('Authorization header') });
    expect(await problem(small.verify(signed({}, { placement: 'query' })))).toMatchObject({ status: 400, message: expect.stringContaining('parameters') });
    expect(await problem(small.verify({ method: 'POST', url: 'https://x/', body: 'a'.repeat(11) }))).toMatchObject({ status: 400, message: expect.stringContaining('body') });
  });
  it('never puts a secret, the signature or the base string in a message or header', async () => {
    const seen: string[] = [];
    const verifier = verifierWith({ onDebug: (i) => seen.push(i.baseString ?? '') });
    const s = signed({}, { client: { key: 'ck', secret: 'wrong' } });
    const err = (await verifier.verify(s).catch((e: unknown) => e)) as OAuthError;
    const sig = s.headers['Authorization']!.match(/oauth_signature="([^"]+)"/)![1]!;
    for (const text of [err.message, err.wwwAuthenticate, err.body, JSON.stringify(err)]) {
      expect(text).not.toContain('client secret');
      expect(text).not.toContain('token secret');
      expect(text).not.toContain(sig);
      expect(text).not.toContain(decodeURIComponent(sig));
      expect(text).not.toContain('GET&https');
    }
    expect(seen[0]).toMatch(/^GET&https%3A%2F%2Fapi.example.com%2Fitems&/);
  });
});

describe('verify: debug hook', () => {
  it('gets the failing check and the server base string, and the success', async () => {
    const infos: VerifyDebugInfo[] = [];
    const v = verifierWith({ onDebug: (i) => infos.push(i) });
    await v.verify(signed({}, { client: { key: 'ck', secret: 'bad' } })).catch(() => undefined);
    await v.verify(signed({}));
    expect(infos[0]).toMatchObject({ ok: false, check: 'signature', problem: 'signature_invalid', consumerKey: 'ck', method: 'GET' });
    expect(infos[0]!.baseString).toContain('oauth_consumer_key%3Dck');
    expect(infos[1]).toMatchObject({ ok: true });
  });
});

describe('verify: callbacks and errors', () => {
  it('passes a callback failure through unchanged (not an OAuthError)', async () => {
    const boom = new Error('db down');
    const v = createVerifier({ lookupClient: () => Promise.reject(boom), tokenRequired: false, clock: () => NOW });
    await expect(v.verify(signed({}, { token: undefined }))).rejects.toBe(boom);
  });
  it('does not consume a nonce for an unknown client', async () => {
    const consume = vi.fn(() => true);
    const v = verifierWith({ nonceStore: { consume } });
    await v.verify(signed({}, { client: { key: 'nobody', secret: 'x' } })).catch(() => undefined);
    expect(consume).not.toHaveBeenCalled();
    await v.verify(signed({}));
    expect(consume).toHaveBeenCalledTimes(1);
    // 300 s either way: a nonce lives 601 s, so no replay fits while its timestamp is accepted.
    expect(consume).toHaveBeenCalledWith(expect.stringMatching(/^ck&tk&1700000000&nonce-\d+$/), 601);
  });
});
