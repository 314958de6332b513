/**
 * Edges of the pure core (src/core) that the mutation run showed no test
 * held: argument checks that must name what is wrong, the one Content-Type
 * reading, header parsing corners, request helpers, the size of a body in
 * UTF-8, target parsing and the option kit. Each case states behaviour a
 * caller can observe.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getHeader, headersToRecord } from '../src/core/request.js';
import { absoluteUrl, boolean, fn, forbidden, object, oneOf, optionalObject, positiveInteger, seconds, string, stringArray } from '../src/core/validate.js';
import {
  baseStringUri,
  createVerifier,
  isFormContentType,
  normalizeParameters,
  OAuthError,
  parseAuthorizationHeader,
  percentDecode,
  percentEncode,
  formatAuthorizationHeader,
  resolvePublicUrl,
  sign,
  signatureBaseString,
  toParams,
} from '../src/index.js';

/** The error a call throws (fails when it does not throw). */
function thrown(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

const FORM = 'application/x-www-form-urlencoded';

describe('argument checks name what is wrong (TypeError with a Node-style code)', () => {
  it('signatureBaseString', () => {
    for (const bad of [null, undefined, { method: '', url: 'http://x/', params: [] }, { method: 5, url: 'http://x/', params: [] }]) {
      expect(thrown(() => signatureBaseString(bad as never))).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: '"req.method" must be a non-empty string' });
    }
    for (const params of [null, 'a=1', 5]) {
      expect(thrown(() => signatureBaseString({ method: 'GET', url: 'http://x/', params: params as never }))).toMatchObject({
        code: 'ERR_INVALID_ARG_TYPE',
        message: '"req.params" must be an array of [name, value] pairs, a URLSearchParams or an object',
      });
    }
  });

  it('formatAuthorizationHeader and parseAuthorizationHeader', () => {
    expect(thrown(() => formatAuthorizationHeader('oauth_x=1' as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"oauthParams" must be an array of [name, value] pairs' });
    expect(thrown(() => formatAuthorizationHeader([], 5 as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"realm" must be a string' });
    expect(thrown(() => parseAuthorizationHeader(5 as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"value" must be a string' });
    expect(formatAuthorizationHeader([])).toBe('OAuth');
    expect(formatAuthorizationHeader([], '')).toBe('OAuth realm=""');
  });

  it('baseStringUri and percentEncode', () => {
    expect(thrown(() => baseStringUri(5 as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"url" must be a string or a URL' });
    expect(thrown(() => baseStringUri('/relative'))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('"url" must be an absolute URL') });
    expect(thrown(() => percentEncode('a\ud800b'))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: '"value" contains a lone UTF-16 surrogate, which cannot be encoded as UTF-8',
    });
    expect(thrown(() => percentDecode('%zz'))).toMatchObject({ name: 'OAuthError', status: 400, message: 'a value has a malformed percent-encoding or is not valid UTF-8' });
  });

  it('toParams: pairs, URLSearchParams and objects; anything else is named by its path', () => {
    expect(toParams([['a', '1']])).toEqual([['a', '1']]);
    expect(toParams({ a: ['1', '2'], b: '3' })).toEqual([['a', '1'], ['a', '2'], ['b', '3']]);
    expect(toParams(undefined)).toEqual([]);
    for (const bad of [[['a']], [['a', 1]], [[1, 'a']], [['a', 'b', 'c']], ['ab']]) {
      expect(thrown(() => toParams(bad as never, 'options.extra'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"options.extra[0]" must be a [name, value] pair of strings' });
    }
    for (const bad of ['a=1', 5, null]) {
      expect(thrown(() => toParams(bad as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"params" must be an array of [name, value] pairs, a URLSearchParams or an object' });
    }
    for (const bad of [{ a: ['x', 2] }, { a: 5 }, { a: null }]) {
      expect(thrown(() => toParams(bad as never))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"params.a" must be a string or an array of strings' });
    }
  });
});

describe('the one Content-Type reading', () => {
  it('a form under any case, with parameters, with spaces around, or repeated', () => {
    for (const t of [FORM, 'Application/X-WWW-Form-URLEncoded', `${FORM}; charset=utf-8`, ` ${FORM} ; charset=utf-8`, `${FORM}, ${FORM}`, `${FORM}, `, `, ${FORM}`, `${FORM}; x="a,b"`, `${FORM}; x="a\\",b"`]) {
      expect(isFormContentType(t), t).toBe(true);
    }
  });

  it('not a form: other types, nothing, and values that are no media type', () => {
    for (const t of ['application/json', 'text/plain; x=application/x-www-form-urlencoded', '', ',', ' , ', 'nonsense', '/x-www-form-urlencoded', 'application/', 'a b/c', undefined, null]) {
      expect(isFormContentType(t as string), String(t)).toBe(false);
    }
  });

  it('a list of different types is refused where a body is read, and is "not a form" to isFormContentType', () => {
    for (const t of [`text/plain, ${FORM}`, 'x, x', `${FORM}, nonsense`]) {
      expect(isFormContentType(t), t).toBe(false);
      const err = thrown(() => sign({ method: 'POST', url: 'https://api.example.com/', headers: { 'Content-Type': t }, body: 'a=1' }, { client: { key: 'k', secret: 's' } }));
      expect(err, t).toMatchObject({ name: 'OAuthError', status: 400, message: 'the Content-Type header lists more than one media type; send exactly one' });
    }
  });
});

describe('parseAuthorizationHeader corners', () => {
  it('tolerates empty list elements, keeps realm apart, and says when there is none', () => {
    const parsed = parseAuthorizationHeader('OAuth , oauth_a="1",, oauth_b="2" ,');
    expect(parsed).toEqual({ params: [['oauth_a', '1'], ['oauth_b', '2']] });
    expect(parsed !== null && 'realm' in parsed).toBe(false);
    expect(parseAuthorizationHeader('OAuth realm="R", a=b')).toEqual({ realm: 'R', params: [['a', 'b']] });
  });

  it('refuses, with a message that says what is wrong', () => {
    const cases: Array<[string, string]> = [
      ['OAuth a="unterminated', 'the Authorization header has an unterminated quoted value'],
      ['OAuth a="x\\"', 'the Authorization header has an unterminated quoted value'],
      ['OAuth ="x"', 'the Authorization header has a parameter without a name'],
      ['OAuth a,b="1"', 'the Authorization header parameter "a" has no "=" and value'],
      ['OAuth a="1" b="2"', 'the Authorization header parameters must be separated by commas'],
      ['OAuth realm="a", realm="b"', 'the Authorization header repeats the parameter "realm"'],
    ];
    for (const [header, message] of cases) expect(thrown(() => parseAuthorizationHeader(header)), header).toMatchObject({ name: 'OAuthError', status: 400, message });
    expect(thrown(() => parseAuthorizationHeader('OAuth a="1", a="2"'))).toMatchObject({ problem: 'parameter_rejected', details: { parametersRejected: ['a'] } });
  });

  it('unescapes quoted-pairs', () => {
    expect(parseAuthorizationHeader('OAuth realm="a \\"b\\" \\\\", x="1"')).toEqual({ realm: 'a "b" \\', params: [['x', '1']] });
  });
});

describe('request helpers', () => {
  it('getHeader reads Headers, pairs, and objects of any letter case; repeated values joined', () => {
    const h = new Headers([['X-A', '1']]);
    h.append('x-a', '2');
    expect(getHeader(h, 'X-a')).toBe('1, 2');
    expect(getHeader([['X-A', '1'], ['y', 'z'], ['x-a', '2']], 'x-a')).toBe('1, 2');
    expect(getHeader([['y', 'z']], 'x-a')).toBeUndefined();
    expect(getHeader({ 'Content-Type': 'text/plain' }, 'content-type')).toBe('text/plain');
    // The exact lower-case name first, then any other letter case.
    expect(getHeader({ 'Content-Type': 'b', 'content-type': 'a' }, 'content-type')).toBe('a');
    expect(getHeader({ 'x-n': 5 }, 'x-n')).toBe('5');
    expect(getHeader({ 'x-a': ['1', '2'] }, 'x-a')).toBe('1, 2');
    expect(getHeader({ 'X-A': 'mixed' }, 'x-a')).toBe('mixed');
    expect(getHeader({ 'x-a': null } as never, 'x-a')).toBeUndefined();
    expect(getHeader(undefined, 'x-a')).toBeUndefined();
    expect(getHeader(null as never, 'x-a')).toBeUndefined();
    // An object with a "get" that is not a Headers (no "has") is a plain record.
    expect(getHeader({ get: () => 'wrong', 'content-type': 'text/plain' } as never, 'content-type')).toBe('text/plain');
    expect(getHeader(new Map([['content-type', 'text/plain']]) as never, 'content-type')).toBe('text/plain');
  });

  it('headersToRecord flattens any headers input, names as given', () => {
    expect(headersToRecord([['A', '1'], ['A', '2'], ['b', '3']])).toEqual({ A: '1, 2', b: '3' });
    expect(headersToRecord({ A: ['1', '2'], n: 5, gone: undefined, none: null } as never)).toEqual({ A: '1, 2', n: '5' });
    expect(headersToRecord(undefined)).toEqual({});
    expect(headersToRecord(null as never)).toEqual({});
  });

  it('sign() reads bodies as text, bytes, ArrayBuffer or fields, and names anything else', () => {
    const opts = { client: { key: 'k', secret: 's' }, nonce: 'n', timestamp: 1 };
    const json = '{"a":1}';
    const bytes = new TextEncoder().encode(json);
    const hashed = sign({ method: 'POST', url: 'https://x/', headers: { 'content-type': 'application/json' }, body: bytes.buffer.slice(0) as ArrayBuffer }, { ...opts, bodyHash: true });
    expect(new Map(hashed.oauthParams).get('oauth_body_hash')).toBe(createHash('sha1').update(json).digest('base64'));
    expect(sign({ method: 'POST', url: 'https://x/', body: null }, opts).body).toBeNull();
    expect(thrown(() => sign({ method: 'POST', url: 'https://x/', body: 5 as never }, opts))).toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: '"request.body" must be a string, a Uint8Array, an ArrayBuffer, a URLSearchParams or an object of fields',
    });
    expect(thrown(() => sign({ method: 'POST', url: 'https://x/', headers: { 'content-type': 'application/json' }, body: { a: '1' } }, opts))).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringContaining('holds form fields but the Content-Type is "application/json"'),
    });
    expect(thrown(() => sign({ method: 'POST', url: 'https://x/', headers: { 'content-type': FORM }, body: new Uint8Array([0x61, 0x3d, 0xff]) }, opts))).toMatchObject({
      name: 'OAuthError',
      message: 'the form body is not valid UTF-8',
    });
  });

  it('sign() ignores an Authorization header the request already has, and replaces it', () => {
    const signed = sign({ method: 'GET', url: 'https://x/r', headers: { authorization: 'OAuth oauth_stale="1"' } }, { client: { key: 'k', secret: 's' }, nonce: 'n', timestamp: 1 });
    expect(signed.baseString).not.toContain('stale');
    expect(Object.keys(signed.headers)).toEqual(['Authorization']);
  });

  it('query placement appends to the query as it is, before any fragment', () => {
    const opts = { client: { key: 'k', secret: 's' }, nonce: 'n', timestamp: 1, placement: 'query' as const };
    expect(sign({ method: 'GET', url: 'https://x/r?' }, opts).url).toMatch(/^https:\/\/x\/r\?oauth_consumer_key=k&/);
    expect(sign({ method: 'GET', url: 'https://x/r?a=1&' }, opts).url).toMatch(/^https:\/\/x\/r\?a=1&oauth_consumer_key=k&/);
    expect(sign({ method: 'GET', url: 'https://x/r?a=1' }, opts).url).toMatch(/^https:\/\/x\/r\?a=1&oauth_consumer_key=k&/);
    expect(sign({ method: 'GET', url: 'https://x/r#frag' }, opts).url).toMatch(/^https:\/\/x\/r\?oauth_consumer_key=k&.*#frag$/);
  });

  it('normalizes repeated names by value, whatever the input order', () => {
    expect(normalizeParameters([['a', 'b'], ['a', 'a'], ['A', 'z']])).toBe('A=z&a=a&a=b');
    expect(normalizeParameters([['a', '2'], ['a', '10'], ['a', '1']])).toBe('a=1&a=10&a=2');
  });
});

describe('the size of a body is its UTF-8 length', () => {
  // limits.bodyBytes is checked before anything else is read: over the limit the
  // answer is that; at or under it, the next check (no credentials) answers.
  const verifier = createVerifier({ lookupClient: () => undefined, tokenRequired: false, limits: { bodyBytes: 10 } });
  const answer = async (body: string | Uint8Array): Promise<string> =>
    ((await verifier.verify({ method: 'POST', url: 'https://x/', headers: { 'content-type': 'text/plain' }, body }).catch((e: unknown) => e)) as OAuthError).message;
  const over = 'the body is larger than 10 bytes';

  it.each([
    ['ééééé', false],
    ['éééééa', true],
    ['€€€a', false],
    ['€€€€', true],
    ['𝄞𝄞aa', false],
    ['𝄞𝄞𝄞', true],
    ['\ud834\ud834\ud834a', false],
    ['\ud834\ud834\ud834aa', true],
    ['aaaaaaaaaa', false],
    ['aaaaaaaaaaa', true],
  ])('%j is over 10 bytes: %s', async (body, isOver) => {
    expect((await answer(body)) === over).toBe(isOver);
  });

  it('bytes are counted as they are', async () => {
    expect(await answer(new Uint8Array(10))).not.toBe(over);
    expect(await answer(new Uint8Array(11))).toBe(over);
  });
});

describe('the target as received', () => {
  const verifier = createVerifier({ lookupClient: () => undefined, tokenRequired: false });
  const refusal = async (url: string): Promise<unknown> => verifier.verify({ method: 'GET', url, headers: { authorization: 'OAuth oauth_consumer_key="k"' } }).catch((e: unknown) => e);

  it('a path with a backslash or a dot segment is refused and says which', async () => {
    for (const path of ['/a\\b', '/a%5Cb', '/a%5cb']) expect(await refusal(`https://x${path}`), path).toMatchObject({ status: 400, message: expect.stringContaining('has a backslash') });
    for (const path of ['/a/../b', '/a/./b', '/a/%2e%2E/b', '/..']) expect(await refusal(`https://x${path}`), path).toMatchObject({ status: 400, message: expect.stringContaining('has a dot segment') });
    expect(await refusal('https://x/a..b/.c/')).toMatchObject({ status: 400, problem: 'parameter_absent' });
  });

  it('a URL that is not an absolute URL with a plain authority is the caller\'s mistake, named', async () => {
    expect(await refusal('/relative')).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('"request.url" must be an absolute URL') });
    expect(await refusal('http://host\\x/y')).toMatchObject({ name: 'TypeError', message: '"request.url" has an authority that is not a plain host and port' });
    expect(await verifier.verify({ method: 'GET', url: 5 as never }).catch((e: unknown) => e)).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"request.url" must be a string or a URL' });
  });

  it('a proxy\'s default port is dropped, another kept', () => {
    const at = (proto: string, port: string): string =>
      resolvePublicUrl({ method: 'GET', url: 'http://10.0.0.5:8080/r', headers: { 'x-forwarded-proto': proto, 'x-forwarded-host': 'api.example.com', 'x-forwarded-port': port } }, { trustProxy: true }).href;
    expect(at('https', '443')).toBe('https://api.example.com/r');
    expect(at('http', '80')).toBe('http://api.example.com/r');
    expect(at('https', '80')).toBe('https://api.example.com:80/r');
    expect(at('http', '443')).toBe('http://api.example.com:443/r');
    expect(at('https', '8443')).toBe('https://api.example.com:8443/r');
  });
});

describe('the option kit (src/core/validate.ts): a TypeError naming the option', () => {
  it('object, optionalObject, fn', () => {
    expect(thrown(() => object(null, 'options'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"options" must be an object' });
    expect(thrown(() => object('x', 'options.a', 'a record'))).toMatchObject({ message: '"options.a" must be a record' });
    expect(thrown(() => optionalObject(5, 'options.b'))).toMatchObject({ message: '"options.b" must be an object' });
    expect(optionalObject(undefined, 'options.b')).toBeUndefined();
    expect(thrown(() => fn(undefined, 'options.f', 'to look up clients'))).toMatchObject({ code: 'ERR_MISSING_OPTION', message: '"options.f" is required to look up clients' });
    expect(thrown(() => fn(undefined, 'options.f'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"options.f" must be a function' });
  });

  it('string, boolean, positiveInteger, seconds', () => {
    expect(thrown(() => string(5, 'o.s'))).toMatchObject({ message: '"o.s" must be a string' });
    expect(thrown(() => string(5, 'o.s', { nonEmpty: true }))).toMatchObject({ message: '"o.s" must be a non-empty string' });
    expect(thrown(() => string(5, 'o.s', { expected: 'a key' }))).toMatchObject({ message: '"o.s" must be a key' });
    expect(thrown(() => string('', 'o.s', { nonEmpty: true }))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"o.s" must not be empty' });
    expect(boolean(undefined, 'o.b', true)).toBe(true);
    expect(thrown(() => boolean('yes', 'o.b', true))).toMatchObject({ message: '"o.b" must be a boolean' });
    expect(thrown(() => positiveInteger('3', 'o.n', 1))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"o.n" must be a number' });
    expect(thrown(() => positiveInteger(1.5, 'o.n', 1, 'bytes'))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"o.n" must be a positive integer number of bytes, received 1.5' });
    expect(thrown(() => positiveInteger(0, 'o.n', 1))).toMatchObject({ message: '"o.n" must be a positive integer, received 0' });
    expect(thrown(() => seconds('3', 'o.t', 1))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"o.t" must be a number of seconds' });
    expect(thrown(() => seconds(-1, 'o.t', 1))).toMatchObject({ message: '"o.t" must be a non-negative finite number of seconds, received -1' });
    expect(thrown(() => seconds(0, 'o.t', 1, { positive: true }))).toMatchObject({ message: '"o.t" must be a positive finite number of seconds, received 0' });
    expect(seconds(0, 'o.t', 1)).toBe(0);
  });

  it('oneOf, stringArray, absoluteUrl, forbidden', () => {
    expect(thrown(() => oneOf('d', 'o.p', ['a', 'b', 'c']))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: `"o.p" must be 'a', 'b' or 'c'` });
    expect(thrown(() => oneOf('d', 'o.p', ['a']))).toMatchObject({ message: `"o.p" must be 'a'` });
    expect(thrown(() => oneOf(undefined, 'o.p', ['a', 'b']))).toMatchObject({ message: `"o.p" must be 'a' or 'b'` });
    expect(oneOf(undefined, 'o.p', ['a', 'b'], 'b')).toBe('b');
    expect(thrown(() => stringArray('x', 'o.l'))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: '"o.l" must be an array of strings' });
    expect(thrown(() => stringArray([], 'o.l', { nonEmpty: true }))).toMatchObject({ message: '"o.l" must be a non-empty array of strings' });
    expect(thrown(() => stringArray(['a', 2], 'o.l'))).toMatchObject({ message: '"o.l[1]" must be a string' });
    expect(stringArray([], 'o.l')).toEqual([]);
    expect(thrown(() => absoluteUrl('nope', 'o.u'))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"o.u" must be an absolute URL such as https://api.example.com' });
    expect(thrown(() => absoluteUrl('ftp://x/', 'o.u', 'https://lms.example'))).toMatchObject({ message: '"o.u" must be an http or https URL such as https://lms.example' });
    expect(absoluteUrl('http://x/', 'o.u')).toBe('http://x/');
    expect(thrown(() => forbidden({ a: 1, b: undefined }, ['b', 'a'], 'is set by the preset'))).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: '"options.a" is set by the preset' });
    expect(thrown(() => forbidden({ a: 1 }, ['a'], 'is not yours', 'opts.x'))).toMatchObject({ message: '"opts.x.a" is not yours' });
    expect(forbidden({ a: undefined }, ['a'], 'x')).toBeUndefined();
  });
});
