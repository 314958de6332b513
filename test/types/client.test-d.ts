/**
 * Type tests of the client API under the repo's settings (strict,
 * exactOptionalPropertyTypes): a signed request goes to fetch as it is.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { sign, type KeyLike } from '../../src/index.js';
import { generateKeyPairSync } from 'node:crypto';

describe('SignedRequest', () => {
  it('is what fetch takes: method, headers and body, with no spreading or casts', () => {
    const signed = sign({ method: 'POST', url: 'https://api.example.com/r', body: { a: '1' } }, { client: { key: 'k', secret: 's' } });
    const init: RequestInit = { method: signed.method, headers: signed.headers, body: signed.body };
    expectTypeOf(init.body).toEqualTypeOf<BodyInit | null | undefined>();
  });
});

describe('KeyLike', () => {
  it("takes node:crypto's KeyObject (described by shape, so the package's types need no @types/node)", () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key: KeyLike = privateKey;
    expectTypeOf(key).toExtend<KeyLike>();
  });
});
