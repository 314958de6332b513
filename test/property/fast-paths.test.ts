// The hot-path rewrites (issue 12) against the straightforward implementations
// they replaced: same output, same errors, for random inputs. The references
// below are the previous versions of these functions in this project, kept
// here as oracles; node:crypto's createHmac is the oracle for the HMAC path.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedLengthEqual, hmacWithKeyBase64, prepareHmacKey, type DigestName } from '../../src/methods/crypto/node.js';
import { percentEncodeTwice } from '../../src/core/encoding.js';
import { encodedNormalizedParameters } from '../../src/core/parameters.js';
import { ambiguousPath, receivedTarget } from '../../src/core/target.js';
import { HmacKeyCache } from '../../src/methods/hmac-keys.js';
import {
  OAuthError,
  createMemoryNonceStore,
  createSignature,
  normalizeParameters,
  parseAuthorizationHeader,
  parseForm,
  percentEncode,
  verifySignature,
} from '../../src/index.js';

const runs = { numRuns: 1000 };

// ---------------------------------------------------------------------------
// Reference implementations (the previous versions).

function refPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function refParseForm(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (text.length === 0) return out;
  const dec = (raw: string): string => {
    const s = raw.replace(/\+/g, ' ');
    return s.includes('%') ? decodeURIComponent(s) : s;
  };
  for (const piece of text.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    out.push(eq === -1 ? [dec(piece), ''] : [dec(piece.slice(0, eq)), dec(piece.slice(eq + 1))]);
  }
  return out;
}

/** RFC 5849 §3.4.1.3.2 with a byte comparison of the UTF-8 of the encoded strings. */
function refNormalize(params: ReadonlyArray<readonly [string, string]>): string {
  const enc = params.map(([n, v]) => [refPercentEncode(n), refPercentEncode(v)] as const);
  enc.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])) || Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1])));
  return enc.map(([n, v]) => `${n}=${v}`).join('&');
}

/** The previous parser (character strings, regular expression for the scheme). */
function refParseHeader(value: string): { realm?: string; params: Array<[string, string]> } | null {
  const scheme = /^[ \t]*OAuth(?=[ \t]|$)/i.exec(value);
  if (scheme === null) return null;
  const s = value;
  const n = s.length;
  let i = scheme[0].length;
  const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const params: Array<[string, string]> = [];
  const seen = new Set<string>();
  let realm: string | undefined;
  const bad = (): Error => new Error('malformed');
  const skipWs = (): void => {
    while (i < n && isWs(s[i])) i++;
  };
  skipWs();
  while (i < n) {
    const nameStart = i;
    while (i < n && s[i] !== '=' && s[i] !== ',' && !isWs(s[i])) i++;
    const rawName = s.slice(nameStart, i);
    if (rawName.length === 0) {
      if (s[i] === ',') {
        i++;
        skipWs();
        continue;
      }
      throw bad();
    }
    skipWs();
    if (s[i] !== '=') throw bad();
    i++;
    skipWs();
    let rawValue = '';
    if (s[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = s[i]!;
        if (c === '\\') {
          if (i + 1 >= n) break;
          rawValue += s[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          rawValue += c;
          i++;
        }
      }
      if (!closed) throw bad();
    } else {
      const start = i;
      while (i < n && s[i] !== ',' && !isWs(s[i])) i++;
      rawValue = s.slice(start, i);
    }
    skipWs();
    if (i < n) {
      if (s[i] !== ',') throw bad();
      i++;
      skipWs();
    }
    if (rawName.toLowerCase() === 'realm') {
      if (realm !== undefined) throw bad();
      realm = rawValue;
      continue;
    }
    const name = decodeURIComponent(rawName);
    if (seen.has(name)) throw bad();
    seen.add(name);
    params.push([name, decodeURIComponent(rawValue)]);
  }
  return realm === undefined ? { params } : { realm, params };
}

/** Runs `f`, giving its result or the kind of error it threw. */
function outcome<T>(f: () => T): { ok: T } | { error: string } {
  try {
    return { ok: f() };
  } catch (err) {
    if (err instanceof OAuthError) return { error: `OAuthError ${err.status}` };
    if (err instanceof URIError) return { error: 'malformed' };
    if (err instanceof Error && err.message === 'malformed') return { error: 'malformed' };
    if (err instanceof TypeError && 'code' in err) return { error: String(err.code) };
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Generators: strings that stress the encoder and parsers.

/** Any UTF-16 (lone surrogates included), weighted towards ASCII and the characters that matter here. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', '~', ' ', '+', '%', '&', '=', '!', '*', "'", '(', ')', 'é', '€', '\u{1D11E}', '\uD800', '\uDC00'), maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
);
/** Well-formed text only (no lone surrogates). */
const wellFormed = fc.string({ unit: 'binary', maxLength: 40 });
const formText = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '9', '=', '&', '+', '%', '%2', '%41', '%C3%A9', '%E2%82%AC', '%C3', '%zz', '%2B', ' ', '~', 'é'),
  maxLength: 40,
});
const headerText = fc.string({
  unit: fc.constantFrom('OAuth', 'oauth', ' ', '\t', ',', '=', '"', '\\', 'realm', 'REALM', 'a', 'oauth_nonce', '%20', '%zz', '%C3%A9', 'x', '1'),
  maxLength: 30,
});

describe('percentEncode (table-driven) equals encodeURIComponent with the RFC 5849 fixes', () => {
  it('same result, or the same refusal of a lone surrogate', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const ours = outcome(() => percentEncode(s));
        const ref = outcome(() => refPercentEncode(s));
        if ('error' in ref) return 'error' in ours && ours.error === 'ERR_INVALID_ARG_VALUE';
        return 'ok' in ours && ours.ok === ref.ok;
      }),
      runs,
    );
  });
  it('returns an unreserved-only string itself', () => {
    const s = `oauth_${'x'.repeat(40)}-._~`;
    expect(percentEncode(s)).toBe(s);
  });
  it('refuses a lone high surrogate at the end and a lone low surrogate', () => {
    for (const bad of ['abc\uD83D', '\uDE00x', 'a\uD800\uD800b']) {
      expect(() => percentEncode(bad)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    }
  });
  it('refuses a value that is not a string with a TypeError', () => {
    expect(() => percentEncode(12 as unknown as string)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
  it('percentEncodeTwice(s) === percentEncode(percentEncode(s))', () => {
    fc.assert(fc.property(wellFormed, (s) => percentEncodeTwice(s) === percentEncode(percentEncode(s))), runs);
  });
});

describe('parseForm (one scan) equals the split-based parser', () => {
  it('same pairs, or both refuse', () => {
    fc.assert(
      fc.property(formText, (t) => {
        const ours = outcome(() => parseForm(t));
        const ref = outcome(() => refParseForm(t));
        if ('error' in ref) return 'error' in ours && ours.error === 'OAuthError 400';
        return 'ok' in ours && JSON.stringify(ours.ok) === JSON.stringify(ref.ok);
      }),
      runs,
    );
  });
  it('reads text without "=" or without "&" in one pass (a long run of either)', () => {
    expect(parseForm('a&'.repeat(50_000))).toHaveLength(50_000);
    expect(parseForm(`k=${'='.repeat(100_000)}`)).toEqual([['k', '='.repeat(100_000)]]);
  });
});

describe('normalization (insertion sort, parallel arrays) equals a byte-order reference', () => {
  const pairs = fc.array(fc.tuple(wellFormed, wellFormed), { maxLength: 40 });
  // Names that share prefixes and differ only in characters that encode.
  const close = fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('a', 'a%', 'a ', 'a=', 'A', '~', '-', 'é', '%'), maxLength: 4 }), fc.constantFrom('', '1', '%', ' ', 'é')), {
    maxLength: 30,
  });
  it('normalizeParameters', () => {
    fc.assert(fc.property(fc.oneof(pairs, close), (p) => normalizeParameters(p) === refNormalize(p)), runs);
  });
  it('the base string form is percentEncode(normalizeParameters(p))', () => {
    fc.assert(fc.property(fc.oneof(pairs, close), (p) => encodedNormalizedParameters(p) === refPercentEncode(refNormalize(p))), runs);
  });
  it('long lists (the Array#sort path) too', () => {
    const long = fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', '%', ' ', '~'), maxLength: 3 }), fc.string({ maxLength: 3 })), {
      minLength: 25,
      maxLength: 300,
    });
    fc.assert(fc.property(long, (p) => encodedNormalizedParameters(p) === refPercentEncode(refNormalize(p))), { numRuns: 100 });
  });
});

describe('parseAuthorizationHeader (character codes) equals the previous parser', () => {
  it('same result, or both refuse', () => {
    fc.assert(
      fc.property(headerText, (h) => {
        const ours = outcome(() => parseAuthorizationHeader(h));
        const ref = outcome(() => refParseHeader(h));
        if ('error' in ref) return 'error' in ours && ours.error === 'OAuthError 400';
        return 'ok' in ours && JSON.stringify(ours.ok) === JSON.stringify(ref.ok);
      }),
      { numRuns: 3000 },
    );
  });
  it('finds a repeat among many parameters (the Set path)', () => {
    const many = Array.from({ length: 40 }, (_, i) => `p${i}="${i}"`);
    expect(parseAuthorizationHeader(`OAuth ${many.join(', ')}`)?.params).toHaveLength(40);
    expect(() => parseAuthorizationHeader(`OAuth ${many.join(', ')}, p3="again"`)).toThrow(OAuthError);
    expect(() => parseAuthorizationHeader(`OAuth ${many.slice(0, 16).join(', ')}, p15="again"`)).toThrow(OAuthError);
  });
});

describe('HMAC with a prepared key schedule equals createHmac', () => {
  const digests: DigestName[] = ['sha1', 'sha256', 'sha512'];
  // Keys around the block sizes (64, 128 bytes), ASCII and not.
  const key = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.integer({ min: 0, max: 140 }).map((n) => 'k'.repeat(n)),
    fc.integer({ min: 0, max: 70 }).map((n) => 'é'.repeat(n)),
  );
  const message = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), anyText, fc.string({ unit: 'binary-ascii', maxLength: 3000 }));
  it('for random keys and messages (non-ASCII and lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...digests), key, message, (d, k, m) => {
        return hmacWithKeyBase64(prepareHmacKey(d, k), m) === createHmac(d, k).update(m, 'utf8').digest('base64');
      }),
      runs,
    );
  });
  it('for messages longer than the scratch buffer (the streaming path)', () => {
    const long = 'x'.repeat(70_000) + 'é';
    for (const d of digests) {
      expect(hmacWithKeyBase64(prepareHmacKey(d, 'k&t'), long)).toBe(createHmac(d, 'k&t').update(long).digest('base64'));
    }
  });
  it('a long message then a short one: the scratch buffer is rewritten, not reused stale', () => {
    const k = prepareHmacKey('sha1', 'a&b');
    hmacWithKeyBase64(k, 'y'.repeat(20_000));
    expect(hmacWithKeyBase64(k, 'short')).toBe(createHmac('sha1', 'a&b').update('short').digest('base64'));
  });
});

describe('the HMAC key cache', () => {
  const ref = (c: string, t: string, m: string): string => createHmac('sha1', `${refPercentEncode(c)}&${refPercentEncode(t)}`).update(m).digest('base64');
  it('gives each pair of secrets its own key, whatever was cached before', () => {
    const cache = new HmacKeyCache('sha1', 8);
    const secrets = fc.tuple(fc.string({ unit: fc.constantFrom('a', '&', '%', 'é', 'b'), maxLength: 4 }), fc.string({ unit: fc.constantFrom('a', '&', '%', 'é', 'b'), maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(secrets, { minLength: 1, maxLength: 30 }), (list) => {
        for (const [c, t] of list) if (hmacWithKeyBase64(cache.get(c, t), 'm') !== ref(c, t, 'm')) return false;
        return cache.size <= 8;
      }),
      runs,
    );
  });
  it('does not confuse secrets whose concatenations look alike', () => {
    const cache = new HmacKeyCache('sha1');
    // "a&b" + "c" and "a" + "b&c" would both read "a&b&c" unencoded.
    const one = hmacWithKeyBase64(cache.get('a&b', 'c'), 'm');
    const two = hmacWithKeyBase64(cache.get('a', 'b&c'), 'm');
    expect(one).toBe(ref('a&b', 'c', 'm'));
    expect(two).toBe(ref('a', 'b&c', 'm'));
    expect(one).not.toBe(two);
  });
  it('stays within its bound when every call brings new secrets', () => {
    const cache = new HmacKeyCache('sha256', 16);
    for (let i = 0; i < 200; i++) cache.get(`client-${i % 7}`, `token-${i}`);
    expect(cache.size).toBeLessThanOrEqual(16);
    expect(cache.size).toBeGreaterThan(0);
  });
  it('is what createSignature and verifySignature use: same bytes as createHmac', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, wellFormed, (c, t, m) => {
        const sig = createSignature('HMAC-SHA1', m, { clientSecret: c, tokenSecret: t });
        return sig === ref(c, t, m) && verifySignature('HMAC-SHA1', m, sig, { clientSecret: c, tokenSecret: t });
      }),
      { numRuns: 300 },
    );
  });
});

describe('fixedLengthEqual', () => {
  const expected = createHmac('sha1', 'k').update('m').digest('base64');
  it('is true only for the same string', () => {
    expect(fixedLengthEqual(expected, expected)).toBe(true);
    expect(fixedLengthEqual(expected, `${expected}`.slice(0))).toBe(true);
    for (let i = 0; i < expected.length; i++) {
      const other = expected.slice(0, i) + (expected[i] === 'A' ? 'B' : 'A') + expected.slice(i + 1);
      expect(fixedLengthEqual(expected, other)).toBe(false);
    }
  });
  it('is false for another length, non-ASCII look-alikes and lone surrogates', () => {
    expect(fixedLengthEqual(expected, expected.slice(1))).toBe(false);
    expect(fixedLengthEqual(expected, `${expected}=`)).toBe(false);
    expect(fixedLengthEqual(expected, '')).toBe(false);
    // U+0141 would write the byte 0x41 ("A") in latin1: utf8 keeps it apart.
    const a = `A${expected.slice(1)}`;
    expect(fixedLengthEqual(a, `\u0141${expected.slice(1)}`)).toBe(false);
    expect(fixedLengthEqual(a, `\uD800${expected.slice(1)}`)).toBe(false);
  });
  it('agrees with === for random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 90 }), anyText, (a, b) => fixedLengthEqual(a, b) === (a === b)), runs);
  });
});

describe('the memory nonce store (one Map, array queues) against a model', () => {
  // A step: let time pass, then consume one of a few keys with one of a few TTLs.
  const step = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'x'.repeat(60), 'y'.repeat(150), 'z'.repeat(150)), fc.constantFrom(1, 2, 5));
  it('answers and counts as a map of expiries would, the bound included', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 1, max: 6 }), (steps, maxEntries) => {
        let now = 1_000_000;
        const store = createMemoryNonceStore({ clock: () => now, maxEntries });
        const model = new Map<string, number>();
        for (const [advance, key, ttl] of steps) {
          now += advance;
          for (const [k, e] of model) if (e <= now) model.delete(k);
          let expected: boolean | 'full';
          if (model.has(key)) expected = false;
          else if (model.size >= maxEntries) expected = 'full';
          else {
            model.set(key, now + ttl * 1000);
            expected = true;
          }
          let got: boolean | 'full';
          try {
            got = store.consume(key, ttl);
          } catch (err) {
            if (!(err instanceof OAuthError) || err.status !== 503) throw err;
            got = 'full';
          }
          if (got !== expected) return false;
          if (store.size !== model.size) return false;
          // 96 bytes per entry plus its key, as held (a key over 128 characters as "#" + 44 of base64).
          let bytes = 0;
          for (const k of model.keys()) bytes += 96 + 2 * (k.length <= 128 ? k.length : 45);
          if (store.bytes !== bytes) return false;
        }
        return true;
      }),
      runs,
    );
  });
  it('drops the front of a long queue without holding every key (compaction)', () => {
    let now = 0;
    const store = createMemoryNonceStore({ clock: () => now, maxEntries: 10 });
    for (let i = 0; i < 5000; i++) {
      expect(store.consume(`k${i}`, 1)).toBe(true);
      now += 200; // five keys alive at a time
    }
    expect(store.size).toBeLessThanOrEqual(6);
    expect(store.consume('k4999', 1)).toBe(false);
  });
});

describe('received targets: one-regex path check and the origin cache', () => {
  /** The previous check: split into segments, test each. */
  function refAmbiguous(path: string): string | undefined {
    if (path.includes('\\') || /%5c/i.test(path)) return 'has a backslash';
    for (const segment of path.split('/')) if (/^(?:\.|%2e){1,2}$/i.test(segment)) return 'has a dot segment ("." or "..")';
    return undefined;
  }
  const pathText = fc.string({ unit: fc.constantFrom('/', '.', '%2e', '%2E', '%5c', '%5C', '\\', 'a', '..', '...', '%', '2', 'e'), maxLength: 20 });
  it('ambiguousPath answers as the split-based check did', () => {
    fc.assert(fc.property(pathText, (p) => ambiguousPath(p) === refAmbiguous(p)), { numRuns: 3000 });
  });
  it('receivedTarget gives the same target on a cache hit, and refuses a bad authority every time', () => {
    const hosts = fc.constantFrom('api.example.com', 'API.Example.COM:443', 'example.com:8080', '[::1]:80', 'xn--bcher-kva.example', 'h@x', 'a b', 'host:99999');
    fc.assert(
      fc.property(fc.constantFrom('http', 'https', 'HTTPS'), hosts, fc.constantFrom('/p', '/a/b?x=1', ''), (scheme, host, rest) => {
        const url = `${scheme}://${host}${rest}`;
        const first = outcome(() => receivedTarget(url));
        const again = outcome(() => receivedTarget(url));
        return JSON.stringify(first) === JSON.stringify(again);
      }),
      { numRuns: 300 },
    );
    expect(receivedTarget('https://API.Example.COM:443/p?q').href).toBe('https://api.example.com/p?q');
    expect(() => receivedTarget('https://a b/p')).toThrow(TypeError);
    expect(() => receivedTarget('https://a b/p')).toThrow(TypeError);
  });
  it('stays right while made-up hosts churn the origin cache', () => {
    for (let i = 0; i < 2000; i++) expect(receivedTarget(`https://h${i}.example/p`).hostname).toBe(`h${i}.example`);
  });
});
