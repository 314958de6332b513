import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatAuthorizationHeader,
  normalizeParameters,
  parseAuthorizationHeader,
  parseForm,
  formatForm,
  percentDecode,
  percentEncode,
} from '../../src/index.js';

// Any well-formed string: full Unicode, no lone surrogates (they have no UTF-8 form).
const text = fc.string({ unit: 'binary', maxLength: 40 });
const pair = fc.tuple(text, text);
const params = fc.array(pair, { maxLength: 12 });
const runs = { numRuns: 500 };

describe('properties', () => {
  it('percentDecode(percentEncode(s)) === s', () => {
    fc.assert(fc.property(text, (s) => percentDecode(percentEncode(s)) === s), runs);
  });

  it('percentEncode only emits unreserved characters and %XX', () => {
    fc.assert(fc.property(text, (s) => /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/.test(percentEncode(s))), runs);
  });

  it('normalization does not depend on input order', () => {
    fc.assert(
      fc.property(
        params.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length, maxLength: p.length }))),
        ([original, shuffled]) => normalizeParameters(original) === normalizeParameters(shuffled),
      ),
      runs,
    );
  });

  it('parseAuthorizationHeader(formatAuthorizationHeader(p)) gives back p', () => {
    // A header carries each name once (a repeated one is refused), so names are unique here.
    const unique = fc.uniqueArray(pair, { selector: ([n]) => n, maxLength: 10 }).filter((p) => p.every(([n]) => n.length > 0));
    fc.assert(
      fc.property(unique, fc.option(text, { nil: undefined }), (p, realm) => {
        const parsed = parseAuthorizationHeader(formatAuthorizationHeader(p, realm));
        expect(parsed).toEqual(realm === undefined ? { params: p } : { realm, params: p });
      }),
      runs,
    );
  });

  it('parseForm(formatForm(p)) gives back p (non-empty names)', () => {
    fc.assert(
      fc.property(params.map((p) => p.filter(([n]) => n.length > 0)), (p) => {
        expect(parseForm(formatForm(p))).toEqual(p);
      }),
      runs,
    );
  });

  it('percentDecode never throws anything but OAuthError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('%', 'a', 'F', '0', 'C', '3', '8', 'é', '+') }), (s) => {
        try {
          percentDecode(s);
        } catch (err) {
          expect((err as Error).name).toBe('OAuthError');
        }
      }),
      runs,
    );
  });
});
