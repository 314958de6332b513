// The debugger page's logic without the page (src/debugger/analyse.ts), on
// Node. The page itself is tested in Chromium (test/debugger-page.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse, comparisonRows, parseHeaderLines, type DebuggerInput } from '../src/debugger/analyse.js';
import { X_EXAMPLE } from '../src/debugger/example.js';
import { parseBaseString, sign } from '../src/index.js';

interface XVector {
  id: string;
  input: { form: Array<[string, string]>; url: string; consumer_key: string; consumer_secret: string; token: string; token_secret: string; nonce: string; timestamp: string };
  expected: { base_string: string; signature: string; authorization: string };
}
const providers = JSON.parse(readFileSync(new URL('../vectors/providers.json', import.meta.url), 'utf8')) as { vectors: XVector[] };
const X = providers.vectors.find((v) => v.id === 'x-creating-a-signature-api-twitter-com');
if (X === undefined) throw new Error('the X/Twitter vector is missing');

const EMPTY: DebuggerInput = {
  method: 'GET', url: '', headers: '', body: '', signatureMethod: 'HMAC-SHA1', consumerKey: '', consumerSecret: '', token: '', tokenSecret: '',
  privateKey: '', realm: '', nonce: '', timestamp: '', callback: '', verifier: '', placement: 'header', includeVersion: true, bodyHash: false, provider: '',
};
const example = (extra: Partial<DebuggerInput> = {}): DebuggerInput => ({ ...EMPTY, ...X_EXAMPLE, ...extra });

describe('analyse()', () => {
  it('the built-in example is the X/Twitter vector, and signs to its documented signature, base string and header', async () => {
    expect(X_EXAMPLE).toMatchObject({ url: X.input.url, consumerKey: X.input.consumer_key, consumerSecret: X.input.consumer_secret, token: X.input.token, tokenSecret: X.input.token_secret, nonce: X.input.nonce, timestamp: X.input.timestamp });
    expect(new URLSearchParams(X_EXAMPLE.body).get('status')).toBe(X.input.form[0]?.[1]);
    const report = await analyse(example());
    expect(report.error).toBeUndefined();
    expect(report.signed).toMatchObject({ signature: X.expected.signature, baseString: X.expected.base_string, authorization: X.expected.authorization });
    expect(report.signed?.parameters.find((p) => p.name === 'status')).toEqual({ name: 'status', value: X.input.form[0]?.[1], from: 'form body' });
    expect(report.signed?.parameters.find((p) => p.name === 'include_entities')?.from).toBe('query');
    expect(report.signed?.parameters.find((p) => p.name === 'oauth_nonce')?.from).toBe('protocol');
    expect(report.notes).toEqual([]);
  });

  it('names a default port the provider kept, on the URI row only', async () => {
    const theirs = X.expected.base_string.replace('api.twitter.com', 'api.twitter.com%3A443');
    const report = await analyse(example({ provider: theirs }));
    expect(report.comparison?.identical).toBe(false);
    expect(report.comparison?.rows.filter((r) => r.differs)).toEqual([
      { part: 'uri', name: 'base string URI', ours: ['https://api.twitter.com/1.1/statuses/update.json'], theirs: ['https://api.twitter.com:443/1.1/statuses/update.json'], differs: true },
    ]);
    expect(report.comparison?.hints.join('\n')).toMatch(/Port differs.*default port/);
  });

  it('shows parameters one side did not sign, and reads the provider\'s problem and advice from a form answer', async () => {
    const noStatus = sign({ method: 'POST', url: X.input.url }, { client: { key: X.input.consumer_key, secret: 's' }, token: { key: X.input.token, secret: 't' }, nonce: X.input.nonce, timestamp: X.input.timestamp }).baseString;
    const answer = `oauth_problem=signature_invalid&debug_sbs=${encodeURIComponent(noStatus)}`;
    const report = await analyse(example({ provider: answer }));
    expect(report.provider).toMatchObject({ problem: 'signature_invalid', advice: expect.stringContaining('oauth1 explain') });
    const status = report.comparison?.rows.find((r) => r.name === 'status');
    expect(status).toMatchObject({ ours: ['Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21'], theirs: [], differs: true });
    expect(report.comparison?.hints.join('\n')).toMatch(/status is in our base string only/);
  });

  it('signs with the provider\'s nonce and timestamp when the form leaves them empty, and says so', async () => {
    const report = await analyse(example({ nonce: '', timestamp: '', provider: X.expected.base_string }));
    expect(report.comparison?.identical).toBe(true);
    expect(report.signed?.signature).toBe(X.expected.signature);
    expect(report.notes.join('\n')).toMatch(/nonce is the one in the provider's base string/);
    const fresh = await analyse(example({ nonce: '', timestamp: '' }));
    expect(fresh.signed?.signature).not.toBe(X.expected.signature);
    expect(fresh.notes.join('\n')).toMatch(/fresh nonce/);
  });

  it('RSA-SHA256 with a PEM key, and a PLAINTEXT note over http', async () => {
    const pem = readFileSync(new URL('./fixtures/rsa-private-pkcs1.pem', import.meta.url), 'utf8');
    const rsa = await analyse(example({ signatureMethod: 'RSA-SHA256', privateKey: pem }));
    const expected = sign({ method: 'POST', url: X.input.url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: X_EXAMPLE.body ?? '' }, {
      client: { key: X.input.consumer_key, privateKey: pem }, token: { key: X.input.token, secret: X.input.token_secret }, signatureMethod: 'RSA-SHA256', nonce: X.input.nonce, timestamp: X.input.timestamp,
    });
    expect(rsa.signed?.signature).toBe(expected.signature);
    const plain = await analyse(example({ signatureMethod: 'PLAINTEXT', url: 'http://api.example.com/x' }));
    expect(plain.signed?.signature).toBe(`${X.input.consumer_secret}&${X.input.token_secret}`);
    expect(plain.notes.join('\n')).toMatch(/PLAINTEXT over http sends both secrets in clear/);
  });

  it('reports what it cannot sign, without the secrets', async () => {
    const bad = await analyse(example({ consumerKey: '', consumerSecret: 'very-secret-value' }));
    expect(bad.error).toMatch(/^Cannot sign this request: "options.client.key" must not be empty/);
    expect(bad.error).not.toContain('very-secret-value');
    expect((await analyse(example({ headers: 'no colon here' }))).error).toMatch(/header line 1 is not "Name: value"/);
    expect((await analyse(example({ url: 'not a url' }))).error).toMatch(/Cannot sign this request/);
    expect(await analyse(EMPTY)).toEqual({ notes: [] });
    expect((await analyse({ ...EMPTY, provider: '<html>401</html>' })).provider).toEqual({ details: [] });
  });
});

describe('the pieces', () => {
  it('parseHeaderLines keeps names and values, skips blank lines', () => {
    expect(parseHeaderLines('Content-Type: text/plain\n\nX-A:  b: c  \r\n')).toEqual([['Content-Type', 'text/plain'], ['X-A', 'b: c']]);
  });
  it('comparisonRows lists every name of either side once, in byte order, repeated values together', () => {
    const rows = comparisonRows(parseBaseString('GET&https%3A%2F%2Fa.example%2F&b%3D1%26b%3D2%26z%3D'), parseBaseString('POST&https%3A%2F%2Fa.example%2F&B%3D1%26b%3D1'));
    expect(rows.map((r) => [r.name, r.ours, r.theirs, r.differs])).toEqual([
      ['method', ['GET'], ['POST'], true],
      ['base string URI', ['https://a.example/'], ['https://a.example/'], false],
      ['B', [], ['1'], true],
      ['b', ['1', '2'], ['1'], true],
      ['z', [''], [], true],
    ]);
  });
});
