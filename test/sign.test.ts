import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  collectParameters,
  parseAuthorizationHeader,
  parseForm,
  sign,
  signatureBaseString,
  verifySignature,
  type SignOptions,
} from '../src/index.js';

const client = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
const token = { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' };
const fixed = { nonce: 'kllo9940pd9333jh', timestamp: 1191242096 } as const;

/** Re-derives the signature a server would compute from what was sent. */
function serverCheck(signed: ReturnType<typeof sign>, keys: { clientSecret?: string; tokenSecret?: string; publicKey?: string }): boolean {
  const sent = { method: signed.method, url: signed.url, headers: signed.headers, body: signed.body };
  const params = collectParameters(sent);
  const oauth = new Map(params.filter(([n]) => n.startsWith('oauth_')));
  const header = signed.headers['Authorization'] ? parseAuthorizationHeader(signed.headers['Authorization']) : null;
  const all = [
    ...parseForm(new URL(signed.url).search.slice(1)),
    ...(typeof signed.body === 'string' && /form-urlencoded/i.test(signed.headers['Content-Type'] ?? signed.headers['content-type'] ?? '') ? parseForm(signed.body) : []),
    ...(header?.params ?? []),
  ];
  const signature = all.find(([n]) => n === 'oauth_signature')?.[1] ?? '';
  const base = signatureBaseString({ method: signed.method, url: signed.url, params });
  return base === signed.baseString && verifySignature(oauth.get('oauth_signature_method')!, base, signature, keys);
}

describe('sign()', () => {
  it('signs OAuth Core 1.0 Appendix A.5.1 (photos.example.net) with its published signature', () => {
    const signed = sign(
      { method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original' },
      { client, token, ...fixed, realm: 'http://photos.example.net/' },
    );
    expect(signed.baseString).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
    expect(signed.signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
    expect(signed.headers['Authorization']).toMatch(/^OAuth realm="http:\/\/photos.example.net\/", oauth_consumer_key="dpf43f3p2l4k3l03", /);
    expect(signed.headers['Authorization']).toContain('oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"');
    expect(signed.oauthParams.at(-1)).toEqual(['oauth_signature', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=']);
  });

  it('makes a fresh 128-bit hex nonce and a seconds timestamp by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const a = sign({ method: 'GET', url: 'https://x/' }, { client });
    const b = sign({ method: 'GET', url: 'https://x/' }, { client });
    const get = (s: typeof a, n: string) => s.oauthParams.find(([k]) => k === n)?.[1];
    expect(get(a, 'oauth_nonce')).toMatch(/^[0-9a-f]{32}$/);
    expect(get(a, 'oauth_nonce')).not.toBe(get(b, 'oauth_nonce'));
    const ts = Number(get(a, 'oauth_timestamp'));
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(get(a, 'oauth_signature_method')).toBe('HMAC-SHA1');
    expect(get(a, 'oauth_version')).toBe('1.0');
    expect(get(a, 'oauth_token')).toBeUndefined();
  });

  it('omits oauth_version when asked and adds callback and verifier', () => {
    const s = sign({ method: 'POST', url: 'https://x/initiate' }, { client, ...fixed, includeVersion: false, callback: 'oob', verifier: 'v 1' });
    const names = s.oauthParams.map(([n]) => n);
    expect(names).not.toContain('oauth_version');
    expect(s.oauthParams).toEqual(expect.arrayContaining([['oauth_callback', 'oob'], ['oauth_verifier', 'v 1']]));
    expect(s.baseString).toContain('oauth_callback%3Doob');
    expect(s.baseString).toContain('oauth_verifier%3Dv%25201');
  });

  it('signs a form body and keeps it, a name in query and body twice', () => {
    const s = sign(
      { method: 'POST', url: 'https://x/p?a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=x+y' },
      { client, token, ...fixed },
    );
    expect(s.body).toBe('a=1&b=x+y');
    expect(s.baseString).toContain('a%3D1%26a%3D1%26b%3Dx%2520y');
    expect(serverCheck(s, { clientSecret: client.secret, tokenSecret: token.secret })).toBe(true);
  });

  it('serializes a fields body as a form and sets its Content-Type', () => {
    const s = sign({ method: 'POST', url: 'https://x/p', body: { status: 'Hello Ladies + Gentlemen', tags: ['a', 'b'] } }, { client, token, ...fixed });
    expect(s.body).toBe('status=Hello%20Ladies%20%2B%20Gentlemen&tags=a&tags=b');
    expect(s.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(serverCheck(s, { clientSecret: client.secret, tokenSecret: token.secret })).toBe(true);
  });

  it('never signs a JSON body, and adds oauth_body_hash for it on request', () => {
    const req = { method: 'POST', url: 'https://x/p', headers: { 'Content-Type': 'application/json' }, body: '{"a":"b=c"}' };
    const plain = sign(req, { client, ...fixed });
    expect(plain.baseString).not.toContain('a%2522');
    expect(plain.body).toBe('{"a":"b=c"}');
    const hashed = sign(req, { client, ...fixed, bodyHash: true, signatureMethod: 'HMAC-SHA256' });
    expect(hashed.oauthParams).toContainEqual(['oauth_body_hash', bodyHash('{"a":"b=c"}', 'SHA-256')]);
    const sha1 = sign(req, { client, ...fixed, bodyHash: true });
    expect(sha1.oauthParams).toContainEqual(['oauth_body_hash', bodyHash('{"a":"b=c"}', 'SHA-1')]);
    expect(serverCheck(hashed, { clientSecret: client.secret })).toBe(true);
  });

  it('hashes the empty body of a GET and never adds a body hash to a form', () => {
    const get = sign({ method: 'GET', url: 'https://x/' }, { client, ...fixed, bodyHash: true });
    expect(get.oauthParams).toContainEqual(['oauth_body_hash', '2jmj7l5rSw0yVb/vlWAYkK/YBwk=']);
    const form = sign({ method: 'POST', url: 'https://x/', body: { a: '1' } }, { client, ...fixed, bodyHash: true });
    expect(form.oauthParams.map(([n]) => n)).not.toContain('oauth_body_hash');
  });

  it('places the parameters in the query', () => {
    const s = sign({ method: 'GET', url: 'https://x/p?a=1#frag' }, { client, token, ...fixed, placement: 'query' });
    expect(s.headers['Authorization']).toBeUndefined();
    const url = new URL(s.url);
    expect(url.hash).toBe('#frag');
    expect(url.searchParams.get('a')).toBe('1');
    expect(url.searchParams.get('oauth_signature')).toBe(s.signature);
    expect(serverCheck(s, { clientSecret: client.secret, tokenSecret: token.secret })).toBe(true);
  });

  it('places the parameters in the form body', () => {
    const s = sign({ method: 'POST', url: 'https://x/p', body: { a: '1' } }, { client, token, ...fixed, placement: 'body' });
    expect(s.headers['Authorization']).toBeUndefined();
    const fields = parseForm(String(s.body));
    expect(fields[0]).toEqual(['a', '1']);
    expect(fields).toContainEqual(['oauth_signature', s.signature]);
    expect(serverCheck(s, { clientSecret: client.secret, tokenSecret: token.secret })).toBe(true);
  });

  it('replaces an Authorization header already on the request', () => {
    const s = sign({ method: 'GET', url: 'https://x/', headers: { authorization: 'Basic abc', Accept: 'text/plain' } }, { client, ...fixed });
    expect(Object.keys(s.headers).sort()).toEqual(['Accept', 'Authorization']);
  });

  it('signs with RSA-SHA1 and a private key', () => {
    const privateKey = readFileSync(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url), 'utf8');
    const publicKey = readFileSync(new URL('./fixtures/rsa-cert.pem', import.meta.url), 'utf8');
    const s = sign({ method: 'GET', url: 'https://x/?q=1' }, { client: { key: 'ck', privateKey }, signatureMethod: 'RSA-SHA1', ...fixed });
    expect(serverCheck(s, { publicKey })).toBe(true);
  });

  it('refuses PLAINTEXT over http unless told otherwise', () => {
    expect(() => sign({ method: 'GET', url: 'http://x/' }, { client, signatureMethod: 'PLAINTEXT' })).toThrowError(/"options.signatureMethod"/);
    const s = sign({ method: 'GET', url: 'http://x/' }, { client, signatureMethod: 'PLAINTEXT', allowPlaintextOverHttp: true });
    expect(s.signature).toBe('kd94hf93k423kf44&');
    expect(sign({ method: 'GET', url: 'https://x/' }, { client, token, signatureMethod: 'PLAINTEXT' }).signature).toBe('kd94hf93k423kf44&pfkkdhi9sl3r4s00');
  });

  describe('programmer mistakes are TypeErrors naming the option', () => {
    const req = { method: 'GET', url: 'https://x/' };
    it.each<[string, Partial<SignOptions> | Record<string, unknown>, string, string]>([
      ['no client', { client: undefined }, 'options.client', 'ERR_INVALID_ARG_TYPE'],
      ['empty key', { client: { key: '', secret: 's' } }, 'options.client.key', 'ERR_INVALID_ARG_VALUE'],
      ['no secret for HMAC', { client: { key: 'k' } }, 'options.client.secret', 'ERR_INVALID_ARG_TYPE'],
      ['no private key for RSA', { client: { key: 'k', secret: 's' }, signatureMethod: 'RSA-SHA256' }, 'options.client.privateKey', 'ERR_MISSING_OPTION'],
      ['unknown method', { client, signatureMethod: 'HMAC-MD5' }, 'options.signatureMethod', 'ERR_INVALID_ARG_VALUE'],
      ['bad placement', { client, placement: 'cookie' }, 'options.placement', 'ERR_INVALID_ARG_VALUE'],
      ['bad timestamp', { client, timestamp: -5 }, 'options.timestamp', 'ERR_INVALID_ARG_VALUE'],
      ['fractional timestamp', { client, timestamp: 1.5 }, 'options.timestamp', 'ERR_INVALID_ARG_VALUE'],
      ['token without secret', { client, token: { key: 't' } }, 'options.token.secret', 'ERR_INVALID_ARG_TYPE'],
      ['bad bodyHash', { client, bodyHash: 'MD5' }, 'options.bodyHash', 'ERR_INVALID_ARG_VALUE'],
      ['non-protocol extra', { client, extraOAuthParams: [['foo', '1']] }, 'options.extraOAuthParams[0]', 'ERR_INVALID_ARG_VALUE'],
    ])('%s', (_label, opts, path, code) => {
      expect(() => sign(req, opts as SignOptions)).toThrowError(expect.objectContaining({ code, message: expect.stringContaining(`"${path}"`) }));
    });
    it('body placement needs a form body and a method with a body', () => {
      expect(() => sign({ method: 'GET', url: 'https://x/' }, { client, placement: 'body' })).toThrowError(/"options.placement"/);
      expect(() =>
        sign({ method: 'POST', url: 'https://x/', headers: { 'content-type': 'application/json' }, body: '{}' }, { client, placement: 'body' }),
      ).toThrowError(/"options.placement"/);
    });
    it('a relative URL', () => {
      expect(() => sign({ method: 'GET', url: '/p' }, { client })).toThrowError(/"request.url"/);
    });
    it('never puts a secret in the message', () => {
      let message = '';
      try {
        sign({ method: 'GET', url: 'http://x/' }, { client, signatureMethod: 'PLAINTEXT' });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/PLAINTEXT/);
      expect(message).not.toContain(client.secret);
    });
  });
});
