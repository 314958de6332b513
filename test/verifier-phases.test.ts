// What each phase of the verifier tells a caller when it refuses: the
// error's status, problem, message and details, which phase refuses first,
// and what the debug hook (onDebug) receives. Written from what mutation
// testing (npm run mutation) showed no other test held.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createVerifier, getSignatureMethod, OAuthError, sign, type NonceStore, type SignOptions, type VerifierOptions, type VerifyDebugInfo } from '../src/index.js';
import { buildVerifier } from '../src/server/verifier/index.js';
import { compileVerifierOptions } from '../src/server/verifier/config.js';

const NOW = 1_700_000_000_000;
const TS = NOW / 1000;
const URL_ = 'https://api.example.com/items?b=2&a=1';
const publicKey = readFileSync(new URL('./fixtures/rsa-cert.pem', import.meta.url), 'utf8');
const privateKey = readFileSync(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');

type Req = { method?: string; url?: string; headers?: Record<string, string>; body?: string | Uint8Array };

let n = 0;
function signed(req: Req = {}, opts: Partial<SignOptions> = {}) {
  const s = sign(
    { method: req.method ?? 'GET', url: req.url ?? URL_, headers: req.headers ?? {}, body: req.body as string | undefined },
    {
      client: { key: 'ck', secret: 'cs' },
      token: { key: 'tk', secret: 'ts' },
      timestamp: TS,
      nonce: `nonce-${++n}`,
      ...opts,
    },
  );
  return { method: s.method, url: s.url, headers: s.headers, body: s.body };
}

/** A verifier whose onDebug calls are recorded in `debug`. */
/** `extra` is loosely typed: some tests pass what the types forbid. */
function verifier(extra: Record<string, unknown> = {}, ...records: unknown[]) {
  const client = records.length > 0 ? records[0] : { secret: 'cs' };
  const token = records.length > 1 ? records[1] : { secret: 'ts' };
  const debug: VerifyDebugInfo[] = [];
  const v = createVerifier<any, any>({
    lookupClient: (key: string) => (key === 'ck' ? client : undefined),
    lookupToken: (key: string) => (key === 'tk' ? token : undefined),
    clock: () => NOW,
    onDebug: (info: VerifyDebugInfo) => debug.push(info),
    ...extra,
  } as VerifierOptions<any, any>);
  return { v, debug };
}

async function refusal(p: Promise<unknown>): Promise<OAuthError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
  throw new Error('verification passed but should have failed');
}

describe('onDebug: what each refusal reports', () => {
  it('a syntax refusal before the URL is known: check syntax, no URL, no base string, no cause', async () => {
    const { v, debug } = verifier({ limits: { headerLength: 10 } });
    const err = await refusal(v.verify(signed()));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'the Authorization header is longer than 10 characters' });
    expect(debug).toEqual([{ ok: false, check: 'syntax', problem: 'parameter_rejected', message: err.message, method: 'GET', url: '' }]);
  });

  it('a syntax refusal after the URL is known carries the public URL', async () => {
    const { v, debug } = verifier();
    const req = signed();
    req.url = 'https://api.example.com/items?b=2&a=1&oauth_extra=x';
    await refusal(v.verify(req));
    expect(debug).toEqual([
      {
        ok: false,
        check: 'syntax',
        problem: 'parameter_rejected',
        message: 'protocol parameters must all be sent in one place, not in both the Authorization header and the query',
        method: 'GET',
        url: 'https://api.example.com/items?b=2&a=1&oauth_extra=x',
      },
    ]);
  });

  it('a request without a method: the trace and the base string use the empty method', async () => {
    const { v, debug } = verifier();
    const req = signed();
    await refusal(v.verify({ url: req.url, headers: req.headers } as never));
    expect(debug[0]).toMatchObject({ method: '', check: 'signature' });
    expect(debug[0]!.baseString).toMatch(/^&https%3A/);
  });

  it('timestamp: check timestamp, problem timestamp_refused, the window in the error', async () => {
    const { v, debug } = verifier();
    const err = await refusal(v.verify(signed({}, { timestamp: TS - 301 })));
    expect(err).toMatchObject({ status: 401, problem: 'timestamp_refused', message: 'oauth_timestamp is outside the accepted window; check the client clock' });
    expect(err.details.acceptableTimestamps).toBe(`${TS - 300}-${TS + 300}`);
    expect(debug).toEqual([{ ok: false, check: 'timestamp', problem: 'timestamp_refused', message: err.message, method: 'GET', url: URL_ }]);
  });

  it('a signature that does not match: check signature, cause signature_invalid, the base string and keys', async () => {
    const { v, debug } = verifier();
    const err = await refusal(v.verify(signed({}, { client: { key: 'ck', secret: 'wrong' } })));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid', message: 'the signature does not match; compare your base string with the server log' });
    expect(err.details.parametersRejected).toEqual(['oauth_signature']);
    expect(debug).toHaveLength(1);
    const { baseString, ...rest } = debug[0]!;
    expect(rest).toEqual({ ok: false, check: 'signature', cause: 'signature_invalid', problem: 'signature_invalid', message: err.message, method: 'GET', url: URL_, consumerKey: 'ck', token: 'tk' });
    expect(baseString).toMatch(/^GET&https%3A%2F%2Fapi\.example\.com%2Fitems&a%3D1%26b%3D2%26oauth_consumer_key%3Dck/);
  });

  it('an unknown client: answered signature_invalid, the debug hook learns check lookup and cause consumer_key_unknown', async () => {
    const { v, debug } = verifier({}, undefined);
    const err = await refusal(v.verify(signed()));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid' });
    expect(err.details.parametersRejected).toEqual(['oauth_signature']);
    expect(debug[0]).toMatchObject({ ok: false, check: 'lookup', cause: 'consumer_key_unknown', problem: 'signature_invalid' });
    expect(debug[0]).not.toHaveProperty('configurationError');
  });

  it('a request without a token: onDebug has no token key, on success and on failure', async () => {
    const { v, debug } = verifier({ tokenRequired: false });
    await v.verify(signed({}, { token: undefined }));
    await refusal(v.verify(signed({}, { token: undefined, client: { key: 'ck', secret: 'no' } })));
    expect(debug[0]).not.toHaveProperty('token');
    expect(debug[1]).not.toHaveProperty('token');
    expect(debug[0]).toMatchObject({ ok: true, consumerKey: 'ck' });
  });

  it('success: ok true with the method, URL, base string, client and token keys, and no check', async () => {
    const { v, debug } = verifier();
    await v.verify(signed({ method: 'post' }));
    expect(debug).toHaveLength(1);
    expect(Object.keys(debug[0]!).sort()).toEqual(['baseString', 'consumerKey', 'method', 'ok', 'token', 'url']);
    expect(debug[0]).toMatchObject({ ok: true, method: 'POST', url: URL_, consumerKey: 'ck', token: 'tk' });
  });

  it('body hash: check body_hash, 401 signature_invalid naming oauth_body_hash', async () => {
    const { v, debug } = verifier();
    const req = signed({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, { bodyHash: true });
    const err = await refusal(v.verify({ ...req, body: '{"a":2}' }));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid', message: 'oauth_body_hash does not match the body' });
    expect(err.details.parametersRejected).toEqual(['oauth_body_hash']);
    expect(debug[0]).toMatchObject({ ok: false, check: 'body_hash', problem: 'signature_invalid' });
    expect(debug[0]).not.toHaveProperty('cause');
  });

  it('nonce: a replay is 401 nonce_used naming oauth_nonce, at check nonce', async () => {
    const { v, debug } = verifier();
    const req = signed();
    await v.verify(req);
    const err = await refusal(v.verify(req));
    expect(err).toMatchObject({ status: 401, problem: 'nonce_used', message: 'this nonce has been used already' });
    expect(err.details.parametersRejected).toEqual(['oauth_nonce']);
    expect(debug[1]).toMatchObject({ ok: false, check: 'nonce', problem: 'nonce_used' });
  });

  it('a callback that throws a plain error: reported at the phase that ran it, with no problem', async () => {
    const { v, debug } = verifier({
      lookupClient: () => {
        throw new Error('db down');
      },
    });
    await expect(v.verify(signed())).rejects.toThrow('db down');
    expect(debug).toEqual([{ ok: false, check: 'lookup', message: 'db down', method: 'GET', url: URL_ }]);
  });

  it("a preset's finish step that refuses: check profile, the realm stamped on the error", async () => {
    const debug: VerifyDebugInfo[] = [];
    const config = compileVerifierOptions({ lookupClient: () => ({ secret: 'cs' }), lookupToken: () => ({ secret: 'ts' }), clock: () => NOW, realm: 'R', onDebug: (i) => debug.push(i) });
    const v = buildVerifier(config, {
      finish: () => {
        throw new OAuthError(400, 'parameter_absent', 'lti_version is required');
      },
    });
    const err = await refusal(v.verify(signed()));
    expect(err.realm).toBe('R');
    expect(debug[0]).toMatchObject({ ok: false, check: 'profile', problem: 'parameter_absent', message: 'lti_version is required' });
  });

  it('verify(null) is a TypeError naming the request', async () => {
    const { v } = verifier();
    await expect(v.verify(null as never)).rejects.toThrowError(expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('"request"') }));
  });
});

describe('protocol parameters: what is refused, with what', () => {
  it('no OAuth parameters at all: 401 parameter_absent naming the three a client must send', async () => {
    const { v } = verifier();
    const err = await refusal(v.verify({ method: 'GET', url: URL_, headers: {} }));
    expect(err).toMatchObject({ status: 401, problem: 'parameter_absent', message: 'the request carries no OAuth credentials' });
    expect(err.details.parametersAbsent).toEqual(['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature']);
  });

  it.each<[string, Record<string, unknown>, string[], string]>([
    ['nonce and timestamp for HMAC', {}, ['oauth_timestamp', 'oauth_nonce'], 'missing oauth_timestamp, oauth_nonce'],
    ['the token when tokens are required', {}, ['oauth_token'], 'missing oauth_token'],
  ])('missing %s: 400 parameter_absent listing them', async (_l, extra, drop, message) => {
    const { v } = verifier(extra);
    const req = signed({}, { placement: 'query' });
    const url = new URL(req.url);
    for (const name of drop) url.searchParams.delete(name);
    const err = await refusal(v.verify({ ...req, url: url.href }));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_absent', message });
    expect(err.details.parametersAbsent).toEqual(drop);
  });

  it('an empty oauth_token is no token: refused when tokens are required, accepted as client-only otherwise', async () => {
    const req = signed({}, { token: { key: '', secret: '' } });
    const err = await refusal(verifier().v.verify(req));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_absent', message: 'missing oauth_token' });
    const lookupToken = vi.fn();
    const out = await verifier({ tokenRequired: false, lookupToken }).v.verify(signed({}, { token: { key: '', secret: '' } }));
    expect(out.tokenKey).toBeUndefined();
    expect(lookupToken).not.toHaveBeenCalled();
  });

  it('PLAINTEXT needs no timestamp or nonce, and the store is then not asked', async () => {
    const consume = vi.fn(() => true);
    const { v } = verifier({ signatureMethods: ['PLAINTEXT'], nonceStore: { consume } });
    const req = signed({}, { signatureMethod: 'PLAINTEXT', placement: 'query' });
    const url = new URL(req.url);
    url.searchParams.delete('oauth_timestamp');
    url.searchParams.delete('oauth_nonce');
    const out = await v.verify({ ...req, url: url.href });
    expect(out.timestamp).toBeUndefined();
    expect(consume).not.toHaveBeenCalled();
    // With only a nonce, the nonce is still remembered (under an empty timestamp).
    const withNonce = new URL(req.url);
    withNonce.searchParams.delete('oauth_timestamp');
    await v.verify({ ...req, url: withNonce.href });
    expect(consume).toHaveBeenCalledWith(`ck&tk&&${withNonce.searchParams.get('oauth_nonce')}`, 601);
  });

  it('oauth_version other than 1.0: 400 version_rejected with the acceptable versions', async () => {
    const { v } = verifier();
    const err = await refusal(v.verify(signed({}, { extraOAuthParams: [['oauth_version', '2.0']], includeVersion: false })));
    expect(err).toMatchObject({ status: 400, problem: 'version_rejected', message: 'oauth_version must be "1.0"' });
    expect(err.details).toMatchObject({ parametersRejected: ['oauth_version'], acceptableVersions: '1.0-1.0' });
    await expect(v.verify(signed({}, { includeVersion: true }))).resolves.toBeDefined();
    await expect(v.verify(signed({}, { includeVersion: false }))).resolves.toBeDefined();
  });

  it('a malformed timestamp: 400 parameter_rejected naming oauth_timestamp', async () => {
    const { v } = verifier();
    const req = signed();
    req.headers['Authorization'] = req.headers['Authorization']!.replace(`oauth_timestamp="${TS}"`, 'oauth_timestamp="17e8"');
    const err = await refusal(v.verify(req));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'oauth_timestamp must be a positive integer number of seconds' });
    expect(err.details.parametersRejected).toEqual(['oauth_timestamp']);
  });

  it('limits.nonceLength: a nonce of exactly the limit passes, one longer is refused naming the limit', async () => {
    const { v } = verifier({ limits: { nonceLength: 8 } });
    await expect(v.verify(signed({}, { nonce: 'abcdefgh' }))).resolves.toBeDefined();
    const err = await refusal(v.verify(signed({}, { nonce: 'abcdefghi' })));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'oauth_nonce is longer than 8 characters' });
    expect(err.details.parametersRejected).toEqual(['oauth_nonce']);
  });

  it('a method not allowed, or unknown: 400 signature_method_rejected listing the accepted ones', async () => {
    const { v } = verifier({ signatureMethods: ['HMAC-SHA256', 'HMAC-SHA512'] });
    for (const method of ['HMAC-SHA1', 'HMAC-MD5']) {
      const req = signed({}, { signatureMethod: 'HMAC-SHA1', extraOAuthParams: method === 'HMAC-SHA1' ? [] : undefined });
      if (method !== 'HMAC-SHA1') req.headers['Authorization'] = req.headers['Authorization']!.replace('HMAC-SHA1', method);
      const err = await refusal(v.verify(req));
      expect(err).toMatchObject({ status: 400, problem: 'signature_method_rejected', message: 'the signature method is not accepted here (accepted: HMAC-SHA256, HMAC-SHA512)' });
      expect(err.details.parametersRejected).toEqual(['oauth_signature_method']);
    }
  });

  it('PLAINTEXT over http: refused naming https, accepted with allowPlaintextOverHttp', async () => {
    const http = { url: 'http://api.example.com/items' };
    const opts = { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true } as const;
    const err = await refusal(verifier({ signatureMethods: ['PLAINTEXT'] }).v.verify(signed(http, opts)));
    expect(err).toMatchObject({ status: 400, problem: 'signature_method_rejected', message: 'PLAINTEXT is accepted over https only' });
    expect(err.details.parametersRejected).toEqual(['oauth_signature_method']);
    await expect(verifier({ signatureMethods: ['PLAINTEXT'], allowPlaintextOverHttp: true }).v.verify(signed(http, opts))).resolves.toBeDefined();
  });

  it('oauth_body_hash with a form body: 400 naming oauth_body_hash', async () => {
    const { v } = verifier();
    const req = signed({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    req.headers['Authorization'] = req.headers['Authorization']!.replace('OAuth ', 'OAuth oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D", ');
    const err = await refusal(v.verify(req));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'oauth_body_hash must not be sent with a form body' });
    expect(err.details.parametersRejected).toEqual(['oauth_body_hash']);
  });

  it('requireBodyHash: a non-form request without one is 400 parameter_absent; a form request needs none', async () => {
    const { v } = verifier({ requireBodyHash: true });
    const err = await refusal(v.verify(signed({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_absent', message: 'oauth_body_hash is required for this request' });
    expect(err.details.parametersAbsent).toEqual(['oauth_body_hash']);
    await expect(v.verify(signed({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }))).resolves.toBeDefined();
    expect(v.requireBodyHash).toBe(true);
  });
});

describe('reading the request: limits, each at its boundary', () => {
  it('limits.headerLength: a header of exactly the limit passes, one character more is refused', async () => {
    const req = signed();
    const len = req.headers['Authorization']!.length;
    await expect(verifier({ limits: { headerLength: len } }).v.verify(req)).resolves.toBeDefined();
    const err = await refusal(verifier({ limits: { headerLength: len - 1 } }).v.verify(signed()));
    expect(err.message).toBe(`the Authorization header is longer than ${len - 1} characters`);
  });

  it.each<[string, (n: number) => string | Uint8Array]>([
    ['an ASCII string', (k) => `a=${'x'.repeat(k - 2)}`],
    ['a string of two-byte characters', (k) => `a=${'é'.repeat((k - 2) / 2)}`],
    ['bytes', (k) => new TextEncoder().encode(`a=${'x'.repeat(k - 2)}`)],
  ])('limits.bodyBytes with %s: exactly the limit passes, more is refused', async (_l, body) => {
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const { v } = verifier({ limits: { bodyBytes: 12 } });
    const ok = signed({ ...form, body: typeof body(12) === 'string' ? (body(12) as string) : 'a=xxxxxxxxxx' });
    await expect(v.verify({ ...ok, body: body(12) })).resolves.toBeDefined();
    const err = await refusal(v.verify({ ...signed({ ...form, body: 'a=1' }), body: body(14) }));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'the body is larger than 12 bytes' });
    expect(v.bodyLimit).toBe(12);
  });

  it('limits.parameters counts the query, the form and the header together, exactly', async () => {
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'c=3', url: 'https://api.example.com/items?a=1&b=2' };
    const req = signed(form);
    const oauthCount = 8; // consumer key, token, method, timestamp, nonce, version, signature + the 3 others below
    const total = 3 + oauthCount - 1;
    await expect(verifier({ limits: { parameters: total } }).v.verify(req)).resolves.toBeDefined();
    const err = await refusal(verifier({ limits: { parameters: total - 1 } }).v.verify(signed(form)));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected', message: `the request has more than ${total - 1} parameters` });
  });

  it('a query or form of empty pairs is bounded by its "&"s before parsing', async () => {
    const { v } = verifier({ limits: { parameters: 20 } });
    const err = await refusal(v.verify(signed({ url: `https://api.example.com/items?a=1${'&'.repeat(60)}` })));
    expect(err.message).toBe('the request has more than 20 parameters');
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    for (const body of [`a=1${'&'.repeat(60)}`, new TextEncoder().encode(`a=1${'&'.repeat(60)}`)]) {
      const e = await refusal(v.verify({ ...signed({ ...form, body: 'a=1' }), body }));
      expect(e.message).toBe('the request has more than 20 parameters');
    }
  });

  it('an ambiguous path is refused by default; with allowAmbiguousPaths it is read as sent', async () => {
    const url = 'https://api.example.com/a/../items?b=2&a=1';
    const err = await refusal(verifier().v.verify({ ...signed(), url }));
    expect(err).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(err.message).toMatch(/^the request path .+; send the path the signature covers, without "\." or "\.\." segments or backslashes$/);
    // Allowed, the path is signed as sent (sign() normalises it, so this signature does not match it).
    const allowed = verifier({ allowAmbiguousPaths: true });
    await refusal(allowed.v.verify({ ...signed(), url }));
    expect(allowed.debug[0]).toMatchObject({ check: 'signature', url });
    expect(allowed.debug[0]!.baseString).toContain('%2Fa%2F..%2Fitems&');
  });
});

describe('the order of the phases: which refuses first', () => {
  it('syntax before timestamp, timestamp before lookup, lookup before nonce', async () => {
    const lookupClient = vi.fn(() => ({ secret: 'cs' }));
    const consume = vi.fn(() => true);
    const { v, debug } = verifier({ lookupClient, nonceStore: { consume } });
    // A stale request with a bad version: the version is the answer.
    await refusal(v.verify(signed({}, { timestamp: TS - 1000, extraOAuthParams: [['oauth_version', '2.0']], includeVersion: false })));
    // A stale request: the timestamp, and no lookup.
    await refusal(v.verify(signed({}, { timestamp: TS - 1000 })));
    expect(debug.map((d) => d.check)).toEqual(['syntax', 'timestamp']);
    expect(lookupClient).not.toHaveBeenCalled();
    // A bad signature: looked up, never remembered.
    await refusal(v.verify(signed({}, { client: { key: 'ck', secret: 'bad' } })));
    expect(lookupClient).toHaveBeenCalledTimes(1);
    expect(consume).not.toHaveBeenCalled();
  });
});

describe('lookups: what the callbacks receive', () => {
  it('lookupClient gets the key and a snapshot of the request; lookupToken the token, the client and clientFound', async () => {
    const client = { secret: 'cs' };
    const lookupClient = vi.fn(() => client);
    const lookupToken = vi.fn(() => ({ secret: 'ts' }));
    const { v } = verifier({ lookupClient, lookupToken });
    const req = signed({}, { realm: 'Photos' });
    await v.verify(req, { remoteAddress: '10.0.0.1' });
    const ctx = { request: { method: 'GET', url: URL_, headers: req.headers }, signatureMethod: 'HMAC-SHA1', realm: 'Photos', extra: { remoteAddress: '10.0.0.1' } };
    expect(lookupClient).toHaveBeenCalledWith('ck', ctx);
    expect(lookupToken).toHaveBeenCalledWith('tk', client, { ...ctx, clientFound: true });
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ck-record'],
  ])('a client lookup that found %s: the token is still looked up, with an empty frozen client and clientFound false', async (_l, found) => {
    const lookupToken = vi.fn(() => ({ secret: 'ts' }));
    const { v } = verifier({ lookupClient: () => found, lookupToken });
    await refusal(v.verify(signed()));
    expect(lookupToken).toHaveBeenCalledTimes(1);
    const [, client, ctx] = lookupToken.mock.calls[0] as unknown as [string, object, { clientFound: boolean }];
    expect(client).toEqual({});
    expect(Object.isFrozen(client)).toBe(true);
    expect(ctx.clientFound).toBe(false);
  });

  it('a token sent to a verifier without lookupToken: refused (token_rejected), never a crash', async () => {
    const { v, debug } = verifier({ tokenRequired: false, lookupToken: undefined });
    const err = await refusal(v.verify(signed()));
    expect(err.problem).toBe('signature_invalid');
    expect(debug[0]).toMatchObject({ check: 'lookup', cause: 'token_rejected' });
    const detailed = await refusal(verifier({ tokenRequired: false, lookupToken: undefined, detailedErrors: true }).v.verify(signed()));
    expect(detailed).toMatchObject({ status: 401, problem: 'token_rejected', message: 'this server does not accept tokens here' });
    expect(detailed.details.parametersRejected).toEqual(['oauth_token']);
  });
});

/** Both answers for a record: the generic one and the detailed one, and what onDebug is told. */
async function judged(client: unknown, token: unknown, opts: Partial<SignOptions> = {}, extra: Record<string, unknown> = {}) {
  const plain = verifier(extra, client, token);
  const generic = await refusal(plain.v.verify(signed({}, opts)));
  const detailedV = verifier({ ...extra, detailedErrors: true }, client, token);
  const detailed = await refusal(detailedV.v.verify(signed({}, opts)));
  return { generic, detailed, debug: plain.debug[0]!, detailedDebug: detailedV.debug[0]! };
}

describe('records the verifier cannot use: refused like unknown keys, reported as configuration errors', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'cs', 'the client record is a string, not an object'],
    ['an array', ['cs'], 'the client record is a array, not an object'],
    ['signatureMethods not a list', { secret: 'cs', signatureMethods: 'HMAC-SHA1' }, 'the client record has signatureMethods that is not an array of method names'],
    ['signatureMethods not names', { secret: 'cs', signatureMethods: ['HMAC-SHA1', 1] }, 'the client record has signatureMethods that is not an array of method names'],
    ['no secret', {}, 'the client record has no secret'],
    ['a secret that is a number', { secret: 5 }, 'the client record has a secret that is not a string'],
    ['an empty secret', { secret: '' }, 'the client record has an empty secret (set allowEmptySecret to accept one)'],
  ])('a client record that is %s', async (_l, client, configurationError) => {
    const { generic, detailed, debug, detailedDebug } = await judged(client, { secret: 'ts' });
    expect(generic.problem).toBe('signature_invalid');
    expect(debug).toMatchObject({ check: 'lookup', cause: 'consumer_key_unknown', configurationError });
    expect(detailed).toMatchObject({ status: 401, problem: 'consumer_key_unknown', message: 'the client is unknown' });
    expect(detailed.details.parametersRejected).toEqual(['oauth_consumer_key']);
    expect(detailedDebug).toEqual(expect.objectContaining({ check: 'lookup', problem: 'consumer_key_unknown', configurationError }));
    expect(detailedDebug).not.toHaveProperty('cause');
  });

  it('an unknown client: no configuration error, in either mode', async () => {
    const { detailed, debug, detailedDebug } = await judged(undefined, { secret: 'ts' });
    expect(detailed).toMatchObject({ problem: 'consumer_key_unknown', message: 'the client is unknown' });
    expect(debug).not.toHaveProperty('configurationError');
    expect(detailedDebug).not.toHaveProperty('configurationError');
  });

  it('an empty secret is accepted with allowEmptySecret', async () => {
    const { v } = verifier({ allowEmptySecret: true }, { secret: '' });
    await expect(v.verify(signed({}, { client: { key: 'ck', secret: '' } }))).resolves.toBeDefined();
  });

  it.each<[string, unknown, string]>([
    ['a string', 'ts', 'the token record is a string, not an object'],
    ['an array', [], 'the token record is a array, not an object'],
    ['a secret that is a number', { secret: 5 }, 'the token record has a secret that is not a string'],
    ['a clientKey that is a number', { secret: 'ts', clientKey: 1 }, 'the token record has a clientKey that is not a string'],
  ])('a token record that is %s', async (_l, token, configurationError) => {
    const { generic, detailed, debug } = await judged({ secret: 'cs' }, token);
    expect(generic.problem).toBe('signature_invalid');
    expect(debug).toMatchObject({ check: 'lookup', cause: 'token_rejected', configurationError });
    expect(detailed).toMatchObject({ status: 401, problem: 'token_rejected', message: 'the token is unknown or expired' });
    expect(detailed.details.parametersRejected).toEqual(['oauth_token']);
  });

  it('an unknown token: token_rejected with no configuration error', async () => {
    const { detailed, debug } = await judged({ secret: 'cs' }, undefined);
    expect(detailed).toMatchObject({ problem: 'token_rejected', message: 'the token is unknown or expired' });
    expect(debug).toMatchObject({ cause: 'token_rejected' });
    expect(debug).not.toHaveProperty('configurationError');
  });
});

describe('what only the holder of the secrets learns, once the signature verified', () => {
  it('a revoked token: token_revoked, even without detailedErrors; a wrong signature learns nothing', async () => {
    const { v, debug } = verifier({}, { secret: 'cs' }, { secret: 'ts', revoked: true });
    const err = await refusal(v.verify(signed()));
    expect(err).toMatchObject({ status: 401, problem: 'token_revoked', message: 'the token has been revoked' });
    expect(err.details.parametersRejected).toEqual(['oauth_token']);
    expect(debug[0]).toMatchObject({ check: 'lookup', problem: 'token_revoked' });
    expect(debug[0]).not.toHaveProperty('configurationError');
    expect((await refusal(v.verify(signed({}, { token: { key: 'tk', secret: 'bad' } })))).problem).toBe('signature_invalid');
    expect(debug[1]).toMatchObject({ check: 'lookup', cause: 'token_revoked' });
  });

  it.each<[string, unknown]>([
    ['"yes"', 'yes'],
    ['1', 1],
  ])('a revoked flag of %s counts as revoked, and is reported as a configuration error', async (_l, revoked) => {
    const { v, debug } = verifier({}, { secret: 'cs' }, { secret: 'ts', revoked });
    expect((await refusal(v.verify(signed()))).problem).toBe('token_revoked');
    expect(debug[0]).toMatchObject({ configurationError: 'the token record has a revoked flag that is not a boolean' });
  });

  it.each<[string, unknown]>([
    ['false', false],
    ['null', null],
  ])('a revoked flag of %s is not revoked', async (_l, revoked) => {
    await expect(verifier({}, { secret: 'cs' }, { secret: 'ts', revoked }).v.verify(signed())).resolves.toBeDefined();
  });

  it("a token of another client: token_rejected once the signature verified; the client's own token passes", async () => {
    const err = await refusal(verifier({}, { secret: 'cs' }, { secret: 'ts', clientKey: 'other' }).v.verify(signed()));
    expect(err).toMatchObject({ status: 401, problem: 'token_rejected', message: 'the token was issued to another client' });
    await expect(verifier({}, { secret: 'cs' }, { secret: 'ts', clientKey: 'ck' }).v.verify(signed())).resolves.toBeDefined();
  });

  it('a method the client may not use: signature_method_rejected once the signature verified', async () => {
    const client = { secret: 'cs', signatureMethods: ['HMAC-SHA256'] };
    const err = await refusal(verifier({}, client).v.verify(signed()));
    expect(err).toMatchObject({ status: 401, problem: 'signature_method_rejected', message: 'this client may not use HMAC-SHA1' });
    expect(err.details.parametersRejected).toEqual(['oauth_signature_method']);
    await expect(verifier({}, client).v.verify(signed({}, { signatureMethod: 'HMAC-SHA256' }))).resolves.toBeDefined();
  });

  it('an HMAC request from a client that has only an RSA key: refused before the signature (no secret to prove)', async () => {
    const { generic, detailed, debug } = await judged({ publicKey }, { secret: 'ts' });
    expect(generic.problem).toBe('signature_invalid');
    expect(debug).toMatchObject({ cause: 'signature_method_rejected' });
    expect(debug).not.toHaveProperty('configurationError');
    expect(detailed).toMatchObject({ problem: 'signature_method_rejected', message: 'this client may not use HMAC-SHA1' });
  });

  it.each<[string, unknown]>([
    ['no key', { secret: 'cs' }],
    ['a null key', { secret: 'cs', publicKey: null }],
  ])('an RSA request from a client with %s: signature_method_rejected, never its secret', async (_l, client) => {
    const opts = { signatureMethod: 'RSA-SHA256', client: { key: 'ck', privateKey } } as Partial<SignOptions>;
    const { generic, detailed, debug } = await judged(client, { secret: 'ts' }, opts, { signatureMethods: ['RSA-SHA256'] });
    expect(generic.problem).toBe('signature_invalid');
    expect(debug).toMatchObject({ check: 'lookup', cause: 'signature_method_rejected' });
    expect(detailed).toMatchObject({ problem: 'signature_method_rejected', message: 'this client may not use RSA-SHA256' });
  });

  it('an RSA client key that does not parse: refused, reported as a configuration error naming the key', async () => {
    const opts = { signatureMethod: 'RSA-SHA256', client: { key: 'ck', privateKey } } as Partial<SignOptions>;
    const { v, debug } = verifier({ signatureMethods: ['RSA-SHA256'] }, { publicKey: 'not a key' });
    const err = await refusal(v.verify(signed({}, opts)));
    expect(err.problem).toBe('signature_invalid');
    expect(debug[0]).toMatchObject({ check: 'signature', cause: 'signature_invalid' });
    expect(debug[0]!.configurationError).toMatch(/^the client's public key could not be used \(.+\)$/);
    await expect(verifier({ signatureMethods: ['RSA-SHA256'] }, { publicKey }).v.verify(signed({}, opts))).resolves.toBeDefined();
  });

  it('a custom method that throws: refused, reported as a configuration error naming the method', async () => {
    const broken = {
      kind: 'shared-secret' as const,
      bodyHash: 'SHA-256' as const,
      sign: () => 'sig',
      verify: (): boolean => {
        throw new Error('boom');
      },
    };
    const { v, debug } = verifier({ signatureMethods: ['X-BROKEN'], customMethods: { 'X-BROKEN': broken } });
    const err = await refusal(v.verify(signed({}, { signatureMethod: 'X-BROKEN', customMethods: { 'X-BROKEN': broken } })));
    expect(err.problem).toBe('signature_invalid');
    expect(debug[0]).toMatchObject({ check: 'signature', configurationError: 'the signature method could not be used (boom)' });
  });
});

describe('the nonce store', () => {
  it('is asked with a key of client, token, timestamp and nonce, each encoded, and the TTL of the window', async () => {
    const consume = vi.fn(() => true);
    const { v } = verifier({ nonceStore: { consume }, timestampWindow: { past: 60, future: 30 } });
    await v.verify(signed({}, { nonce: 'a&b' }));
    expect(consume).toHaveBeenCalledWith(`ck&tk&${TS}&a%26b`, 91);
    const clientOnly = verifier({ nonceStore: { consume }, tokenRequired: false });
    await clientOnly.v.verify(signed({}, { nonce: 'n', token: undefined }));
    expect(consume).toHaveBeenLastCalledWith(`ck&&${TS}&n`, 601);
  });

  it.each<[string, () => NonceStore]>([
    ['throws', () => ({ consume: () => { throw new Error('redis down'); } })],
    ['rejects', () => ({ consume: () => Promise.reject(new Error('redis down')) })],
  ])('a store that %s: 503 temporarily_unavailable, retry after 1 s, the cause kept', async (_l, store) => {
    const { v, debug } = verifier({ nonceStore: store() });
    const err = await refusal(v.verify(signed()));
    expect(err).toMatchObject({ status: 503, problem: 'temporarily_unavailable', message: 'the server cannot check the nonce right now; retry later' });
    expect(err.details.retryAfter).toBe(1);
    expect((err.cause as Error).message).toBe('redis down');
    expect(debug[0]).toMatchObject({ check: 'nonce', problem: 'temporarily_unavailable' });
  });

  it('a store that throws an OAuthError: that error is the answer, unchanged', async () => {
    const own = new OAuthError(429, 'temporarily_unavailable', 'slow down');
    const { v } = verifier({ nonceStore: { consume: () => { throw own; } } });
    expect(await refusal(v.verify(signed()))).toBe(own);
    const async = verifier({ nonceStore: { consume: () => Promise.reject(own) } });
    expect(await refusal(async.v.verify(signed()))).toBe(own);
  });

  it('an asynchronous store that says false: nonce_used', async () => {
    const { v } = verifier({ nonceStore: { consume: () => Promise.resolve(false) } });
    expect(await refusal(v.verify(signed()))).toMatchObject({ status: 401, problem: 'nonce_used' });
  });
});

describe('createVerifier options: a TypeError naming each', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['options itself', { __replace: 5 }, 'options'],
    ['tokenRequired', { tokenRequired: 'no' }, 'options.tokenRequired'],
    ['lookupToken when optional', { tokenRequired: false, lookupToken: 5 }, 'options.lookupToken'],
    ['a nonceStore without consume', { nonceStore: { add: () => true } }, 'options.nonceStore'],
    ['customMethods', { customMethods: 5 }, 'options.customMethods'],
    ['an unknown method at index 1', { signatureMethods: ['HMAC-SHA1', 'HMAC-MD5'] }, 'options.signatureMethods[1]'],
    ['timestampWindow', { timestampWindow: 5 }, 'options.timestampWindow'],
    ['timestampWindow.future', { timestampWindow: { future: -1 } }, 'options.timestampWindow.future'],
    ['limits', { limits: 5 }, 'options.limits'],
    ['realm', { realm: 5 }, 'options.realm'],
    ['onDebug', { onDebug: 5 }, 'options.onDebug'],
    ['publicUrl', { publicUrl: 5 }, 'options.publicUrl'],
    ['allowPlaintextOverHttp', { allowPlaintextOverHttp: 'yes' }, 'options.allowPlaintextOverHttp'],
    ['allowAmbiguousPaths', { allowAmbiguousPaths: 'yes' }, 'options.allowAmbiguousPaths'],
    ['allowEmptySecret', { allowEmptySecret: 'yes' }, 'options.allowEmptySecret'],
    ['detailedErrors', { detailedErrors: 'yes' }, 'options.detailedErrors'],
    ['requireBodyHash', { requireBodyHash: 'yes' }, 'options.requireBodyHash'],
    ['limits.headerLength', { limits: { headerLength: 0 } }, 'options.limits.headerLength'],
    ['limits.bodyBytes', { limits: { bodyBytes: 1.5 } }, 'options.limits.bodyBytes'],
    ['limits.nonceLength', { limits: { nonceLength: -1 } }, 'options.limits.nonceLength'],
  ])('%s', (_l, extra, path) => {
    const base = { lookupClient: () => undefined, lookupToken: () => undefined };
    const opts = '__replace' in extra ? extra['__replace'] : { ...base, ...extra };
    expect(() => createVerifier(opts as VerifierOptions)).toThrowError(expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(`"${path}"`) }));
  });

  it('an unknown method names why', () => {
    expect(() => createVerifier({ lookupClient: () => undefined, lookupToken: () => undefined, signatureMethods: ['HMAC-MD5'] })).toThrowError(
      '"options.signatureMethods[0]" is not a known signature method',
    );
  });

  it('publicUrl as a function is called for the URL', async () => {
    const publicUrl = vi.fn(() => 'https://api.example.com/items?b=2&a=1');
    const { v } = verifier({ publicUrl });
    const req = signed();
    await v.verify({ ...req, url: '/internal/items?b=2&a=1' });
    expect(publicUrl).toHaveBeenCalled();
  });

  it('the defaults: a window of 300 s each way, nonces kept 601 s', async () => {
    const consume = vi.fn(() => true);
    const { v } = verifier({ nonceStore: { consume } });
    await expect(v.verify(signed({}, { timestamp: TS - 300 }))).resolves.toBeDefined();
    await expect(v.verify(signed({}, { timestamp: TS + 300 }))).resolves.toBeDefined();
    expect((await refusal(v.verify(signed({}, { timestamp: TS + 301 })))).problem).toBe('timestamp_refused');
    expect(consume).toHaveBeenLastCalledWith(expect.any(String), 601);
  });
});

describe('second pass: what mutation run 4 still found unasserted', () => {
  it('a publicUrl callback or a clock that throws is reported at the phase that called it', async () => {
    const url = verifier({
      publicUrl: () => {
        throw new Error('no url');
      },
    });
    await expect(url.v.verify(signed())).rejects.toThrow('no url');
    expect(url.debug[0]).toMatchObject({ ok: false, check: 'syntax', message: 'no url', url: '' });
    expect(url.debug[0]).not.toHaveProperty('problem');
    const clock = verifier({
      clock: () => {
        throw new Error('no time');
      },
    });
    await expect(clock.v.verify(signed())).rejects.toThrow('no time');
    expect(clock.debug[0]).toMatchObject({ ok: false, check: 'timestamp', message: 'no time' });
    expect(clock.debug[0]).not.toHaveProperty('problem');
  });

  it('each syntax refusal is reported at check syntax', async () => {
    const { v, debug } = verifier({ signatureMethods: ['HMAC-SHA256'], requireBodyHash: true });
    await refusal(v.verify({ method: 'GET', url: URL_, headers: {} }));
    const req = signed({}, { placement: 'query' });
    const noNonce = new URL(req.url);
    noNonce.searchParams.delete('oauth_nonce');
    await refusal(v.verify({ ...req, url: noNonce.href }));
    await refusal(v.verify(signed()));
    await refusal(v.verify(signed({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }, { signatureMethod: 'HMAC-SHA256' })));
    await refusal(verifier({ signatureMethods: ['PLAINTEXT'] }).v.verify(signed({ url: 'http://api.example.com/' }, { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true })));
    expect(debug.map((d) => [d.check, d.problem])).toEqual([
      ['syntax', 'parameter_absent'],
      ['syntax', 'parameter_absent'],
      ['syntax', 'signature_method_rejected'],
      ['syntax', 'parameter_absent'],
    ]);
    const http = verifier({ signatureMethods: ['PLAINTEXT'] });
    await refusal(http.v.verify(signed({ url: 'http://api.example.com/' }, { signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true })));
    expect(http.debug[0]).toMatchObject({ check: 'syntax', problem: 'signature_method_rejected' });
  });

  it('missing parameters are listed exactly: PLAINTEXT needs no timestamp or nonce, tokenRequired false needs no token', async () => {
    const plain = verifier({ signatureMethods: ['PLAINTEXT'] });
    const req = signed({}, { signatureMethod: 'PLAINTEXT', placement: 'query', token: undefined });
    const url = new URL(req.url);
    url.searchParams.delete('oauth_timestamp');
    url.searchParams.delete('oauth_nonce');
    expect(await refusal(plain.v.verify({ ...req, url: url.href }))).toMatchObject({ status: 400, message: 'missing oauth_token' });
    const optional = verifier({ tokenRequired: false });
    const q = signed({}, { placement: 'query', token: undefined });
    const noNonce = new URL(q.url);
    noNonce.searchParams.delete('oauth_nonce');
    expect(await refusal(optional.v.verify({ ...q, url: noNonce.href }))).toMatchObject({ status: 400, message: 'missing oauth_nonce' });
  });

  it('a protocol parameter sent empty is present: refused by its check, not as missing', async () => {
    const { v } = verifier();
    const req = signed();
    req.headers['Authorization'] = req.headers['Authorization']!.replace(/oauth_nonce="[^"]*"/, 'oauth_nonce=""');
    const err = await refusal(v.verify(req));
    expect(err).toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('PLAINTEXT with a timestamp and no nonce: the nonce store is still asked, with an empty nonce', async () => {
    const consume = vi.fn(() => true);
    const { v } = verifier({ signatureMethods: ['PLAINTEXT'], nonceStore: { consume } });
    const req = signed({}, { signatureMethod: 'PLAINTEXT', placement: 'query' });
    const url = new URL(req.url);
    url.searchParams.delete('oauth_nonce');
    await v.verify({ ...req, url: url.href });
    expect(consume).toHaveBeenCalledWith(`ck&tk&${TS}&`, 601);
  });

  it('an asynchronous store that says true accepts, once', async () => {
    const seen = new Set<string>();
    const { v } = verifier({ nonceStore: { consume: async (key: string) => (seen.has(key) ? false : (seen.add(key), true)) } });
    const req = signed();
    await expect(v.verify(req)).resolves.toMatchObject({ consumerKey: 'ck' });
    expect(await refusal(v.verify(req))).toMatchObject({ problem: 'nonce_used' });
  });

  it('asynchronous lookups: the records they resolve to are used', async () => {
    const client = { secret: 'cs' };
    const token = { secret: 'ts' };
    const { v } = verifier({ lookupClient: async () => client, lookupToken: async () => token });
    const out = await v.verify(signed());
    expect(out.client).toBe(client);
    expect(out.token).toBe(token);
    const mixed = verifier({ lookupClient: () => client, lookupToken: async () => token });
    expect((await mixed.v.verify(signed())).token).toBe(token);
  });

  it('the query bound before parsing: 2 × limits.parameters "&"s pass it, one more does not', async () => {
    const { v } = verifier({ limits: { parameters: 20 } });
    const at = (ands: number) => ({ ...signed(), url: `https://api.example.com/items?a=1${'&'.repeat(ands)}` });
    const passed = await refusal(v.verify(at(40)));
    expect(passed.message).not.toBe('the request has more than 20 parameters');
    expect((await refusal(v.verify(at(41)))).message).toBe('the request has more than 20 parameters');
  });

  it('detailed answers name the parameter: the unknown client, the unknown token, the token of another client', async () => {
    const unknownClient = await refusal(verifier({ detailedErrors: true }, undefined).v.verify(signed()));
    expect(unknownClient.details.parametersRejected).toEqual(['oauth_consumer_key']);
    const unknownToken = await refusal(verifier({ detailedErrors: true }, { secret: 'cs' }, undefined).v.verify(signed()));
    expect(unknownToken.details.parametersRejected).toEqual(['oauth_token']);
    const other = await refusal(verifier({}, { secret: 'cs' }, { secret: 'ts', clientKey: 'other' }).v.verify(signed()));
    expect(other.details.parametersRejected).toEqual(['oauth_token']);
  });

  it('custom methods run through their async form with the real secrets and keys', async () => {
    const hmac = getSignatureMethod('HMAC-SHA1')!;
    const rsa = getSignatureMethod('RSA-SHA256')!;
    // Not the built-in definitions themselves: the verifier takes the path every custom method takes.
    const customMethods = { 'X-HMAC': { ...hmac }, 'X-RSA': { ...rsa } };
    const opts = { signatureMethods: ['X-HMAC', 'X-RSA'], customMethods };
    const signOpts = { customMethods } as Partial<SignOptions>;
    await expect(verifier(opts).v.verify(signed({}, { ...signOpts, signatureMethod: 'X-HMAC' }))).resolves.toBeDefined();
    await expect(verifier({ ...opts, tokenRequired: false }).v.verify(signed({}, { ...signOpts, signatureMethod: 'X-HMAC', token: undefined }))).resolves.toBeDefined();
    const rsaClient = verifier(opts, { publicKey });
    await expect(rsaClient.v.verify(signed({}, { ...signOpts, signatureMethod: 'X-RSA', client: { key: 'ck', privateKey } }))).resolves.toBeDefined();
    const unknown = verifier(opts, undefined);
    await refusal(unknown.v.verify(signed({}, { ...signOpts, signatureMethod: 'X-RSA', client: { key: 'ck', privateKey } })));
    expect(unknown.debug[0]).toMatchObject({ check: 'lookup', cause: 'consumer_key_unknown' });
    expect(unknown.debug[0]).not.toHaveProperty('configurationError');
  });

  it('option messages say what is missing and what was expected', () => {
    expect(() => createVerifier({ lookupClient: () => undefined } as never)).toThrowError('"options.lookupToken" is required unless options.tokenRequired is false');
    expect(() => createVerifier({ lookupClient: () => undefined, lookupToken: () => undefined, nonceStore: {} as never })).toThrowError(
      '"options.nonceStore" must be an object with a consume(key, ttlSeconds) method',
    );
  });
});
