// The WebCrypto back end in every runtime it is meant for, and Node.
import { createHash, createHmac, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES } from './harness.js';

const read = (p: string): string => readFileSync(new URL(p, import.meta.url), 'utf8');
const providers = JSON.parse(read('../../vectors/providers.json')) as { vectors: Array<{ id: string; input: Record<string, any>; expected: { base_string: string; signature: string } }> };
const X = providers.vectors.find((v) => v.id === 'x-creating-a-signature-api-twitter-com')!;
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const privateKeyPkcs1 = read('../fixtures/rsa-private-pkcs1.pem');
const BASE = 'GET&https%3A%2F%2Fapi.example.com%2Fitems&a%3D1';
const input = {
  x: {
    method: X.input.method,
    url: X.input.url,
    form: (X.input.form as Array<[string, string]>).map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&'),
    oauth: [
      ['oauth_consumer_key', X.input.consumer_key],
      ['oauth_token', X.input.token],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', X.input.timestamp],
      ['oauth_nonce', X.input.nonce],
      ['oauth_version', '1.0'],
    ],
    consumerSecret: X.input.consumer_secret,
    tokenSecret: X.input.token_secret,
  },
  privateKeyPkcs1,
  certificate: read('../fixtures/rsa-cert.pem'),
  base: BASE,
};
const key = `${enc(X.input.consumer_secret)}&${enc(X.input.token_secret)}`;
const required = process.env.OAUTH1_REQUIRE_RUNTIMES === '1';
const probe = fileURLToPath(new URL('./probe-backend.ts', import.meta.url));

describe.each(RUNTIMES)('the WebCrypto back end in $name', (runtime) => {
  let reason: string | undefined;
  beforeAll(async () => {
    reason = await runtime.unavailable();
    if (reason !== undefined && required) throw new Error(`${runtime.name} must run here (OAUTH1_REQUIRE_RUNTIMES=1): ${reason}`);
  }, 240_000);

  it('signs the X/Twitter example, HMAC-SHA256 and RSA-SHA256 as node:crypto does', async (ctx) => {
    if (reason !== undefined) ctx.skip(`${runtime.name} cannot start here: ${reason}`);
    const { output, runtime: who } = await runtime.run(probe, input);
    console.log(`${runtime.name}: ${who}: ${JSON.stringify(output)}`);
    expect(output).toEqual({
      globals: expect.objectContaining({ subtle: 'object' }),
      xBaseString: X.expected.base_string,
      xSignature: X.expected.signature,
      hmacSha256: createHmac('sha256', key).update(BASE).digest('base64'),
      rsaSha256: nodeSign('sha256', Buffer.from(BASE), createPrivateKey(privateKeyPkcs1)).toString('base64'),
      rsaVerifies: true,
      rsaRefusesTampered: true,
      bodyHashSha256: createHash('sha256').update('{"a":1}').digest('base64'),
      nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
      compare: [true, false],
    });
  }, 240_000);
});
