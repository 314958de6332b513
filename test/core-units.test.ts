// Small functions of src/core checked exactly, most against a reference
// (Buffer, encodeURIComponent): what mutation testing (npm run mutation)
// showed no test held — byte counts, truncation at a boundary, error
// headers, the Content-Type list reading, the realm copy of an error.
import { describe, expect, it } from 'vitest';
import { isForm, mediaTypeOf } from '../src/core/content-type.js';
import { percentEncode, utf8ByteLength } from '../src/core/encoding.js';
import { malformed, OAuthError, printableName, problemFactory, quotedString, withRealm } from '../src/core/errors.js';
import { normalizeParameters } from '../src/core/parameters.js';
import { formatAuthorizationHeader, parseAuthorizationHeader } from '../src/core/header.js';
import * as check from '../src/core/validate.js';

describe('utf8ByteLength equals Buffer.byteLength', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'abc'],
    ['two-byte, last of the range', 'é\u07ff'],
    ['three-byte, first of the range', '\u0800☃'],
    ['a surrogate pair', '𝄞'],
    ['a pair at the end', 'a𝄞'],
    ['a lone high surrogate at the end', 'a\ud834'],
    ['a lone high surrogate before a letter', '\ud834a'],
    ['a lone low surrogate', '\udd1e'],
    ['two high surrogates then a low one', '\ud834\ud834\udd1e'],
    ['the last BMP code unit before the surrogates', '\ud7ff'],
    ['the first after them', '\ue000'],
    ['a mix', 'a é ☃ 𝄞 \ud800 z'],
  ])('%s', (_l, text) => {
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});

describe('percentEncode', () => {
  it('encodes all but the unreserved characters, as encodeURIComponent plus !*\'()', () => {
    const ref = (s: string): string => encodeURIComponent(s).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    for (const s of ['', 'abcXYZ019-._~', "!*'()", 'a b+c&d=e/f', 'é☃𝄞', '%', 'a%20b']) expect(percentEncode(s)).toBe(ref(s));
  });
});

describe('messages and error headers', () => {
  it('printableName: 40 characters as they are, longer ones cut with "...", non-printable ones as "?"', () => {
    expect(printableName('a'.repeat(40))).toBe('a'.repeat(40));
    expect(printableName('a'.repeat(41))).toBe(`${'a'.repeat(40)}...`);
    expect(printableName('a\r\nb c\u00e9')).toBe('a??b?c?');
  });

  it('quotedString escapes quotes and backslashes', () => {
    expect(quotedString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('WWW-Authenticate: non-printable text is percent-encoded, printable text kept, every detail in order', () => {
    const err = new OAuthError(401, 'signature_invalid', 'm', {
      realm: 'Ré\r\nalm',
      parametersAbsent: ['a', 'b'],
      parametersRejected: ['c'],
      acceptableVersions: '1.0-1.0',
      acceptableTimestamps: '1-2',
      advice: 'try "again"',
    });
    expect(err.wwwAuthenticate).toBe(
      'OAuth realm="R%C3%A9%0D%0Aalm", oauth_problem="signature_invalid", oauth_parameters_absent="a&b", oauth_parameters_rejected="c", oauth_acceptable_versions="1.0-1.0", oauth_acceptable_timestamps="1-2", oauth_problem_advice="try \\"again\\""',
    );
    expect(err.body).toBe('oauth_problem=signature_invalid&oauth_parameters_absent=a%26b&oauth_parameters_rejected=c&oauth_acceptable_versions=1.0-1.0&oauth_acceptable_timestamps=1-2&oauth_problem_advice=try%20%22again%22');
    expect(new OAuthError(400, 'x', 'm').wwwAuthenticate).toBe('OAuth oauth_problem="x"');
    expect(new OAuthError(400, 'x', 'm', { parametersAbsent: [] }).body).toBe('oauth_problem=x');
  });

  it('headers: Retry-After only when asked, in whole seconds rounded up, never negative', () => {
    expect(new OAuthError(503, 'x', 'm').headers).toEqual({
      'WWW-Authenticate': 'OAuth oauth_problem="x"',
      'Content-Type': 'application/x-www-form-urlencoded',
      'Cache-Control': 'no-store',
    });
    expect(new OAuthError(503, 'x', 'm', { retryAfter: 1.2 }).headers['Retry-After']).toBe('2');
    expect(new OAuthError(503, 'x', 'm', { retryAfter: -5 }).headers['Retry-After']).toBe('0');
    expect(new OAuthError(503, 'x', 'm', { retryAfter: 0 }).headers['Retry-After']).toBe('0');
  });

  it('cause: kept when given, absent otherwise; toJSON has the details but not the realm or cause', () => {
    const cause = new Error('inner');
    const err = new OAuthError(503, 'temporarily_unavailable', 'm', { cause, retryAfter: 1, realm: 'r' });
    expect(err.cause).toBe(cause);
    expect('cause' in new OAuthError(400, 'x', 'm')).toBe(false);
    expect(err.toJSON()).toEqual({ name: 'OAuthError', status: 503, problem: 'temporarily_unavailable', message: 'm', retryAfter: 1 });
    expect(err.realm).toBe('r');
  });

  it('instanceof OAuthError: by the brand, so another copy of the class counts and look-alikes do not', () => {
    expect(new OAuthError(400, 'x', 'm') instanceof OAuthError).toBe(true);
    expect({ status: 400, problem: 'x' } instanceof OAuthError).toBe(false);
    expect((null as unknown) instanceof OAuthError).toBe(false);
    expect(('x' as unknown) instanceof OAuthError).toBe(false);
    expect({ [Symbol.for('oauth1.OAuthError')]: true } instanceof OAuthError).toBe(true);
    expect({ [Symbol.for('oauth1.OAuthError')]: 1 } instanceof OAuthError).toBe(false);
  });

  it('problemFactory stamps its realm, or none', () => {
    expect(problemFactory('R')(401, 'signature_invalid', 'm', { advice: 'a' })).toMatchObject({ realm: 'R', details: { advice: 'a' } });
    const none = problemFactory(undefined)(401, 'signature_invalid', 'm', { advice: 'a' });
    expect(none.realm).toBeUndefined();
    expect(none.details).toEqual({ advice: 'a' });
  });

  it('withRealm: a copy with the realm, details and cause; the same error when the realm is already that; other values untouched', () => {
    const cause = new Error('c');
    const err = new OAuthError(401, 'x', 'm', { realm: 'A', advice: 'a', cause });
    const copy = withRealm(err, 'B') as OAuthError;
    expect(copy).not.toBe(err);
    expect(copy).toMatchObject({ status: 401, problem: 'x', message: 'm', realm: 'B', details: { advice: 'a' } });
    expect(copy.cause).toBe(cause);
    expect(withRealm(err, 'A')).toBe(err);
    const cleared = withRealm(err, undefined) as OAuthError;
    expect(cleared.realm).toBeUndefined();
    expect('cause' in (withRealm(new OAuthError(401, 'x', 'm'), 'B') as OAuthError)).toBe(false);
    const plain = new Error('p');
    expect(withRealm(plain, 'B')).toBe(plain);
  });

  it('malformed: 400 parameter_rejected, naming the parameter when there is one', () => {
    expect(malformed('bad', 'oauth_x')).toMatchObject({ status: 400, problem: 'parameter_rejected', message: 'bad', details: { parametersRejected: ['oauth_x'] } });
    expect(malformed('bad').details.parametersRejected).toBeUndefined();
  });
});

describe('Content-Type: one media type, or a list of the same one', () => {
  it.each<[string | undefined | null, string | undefined]>([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['  ', undefined],
    ['Application/X-WWW-Form-URLEncoded; charset=utf-8', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain'],
    ['/plain', undefined],
    ['text/', undefined],
    ['text', undefined],
    ['te xt/plain', undefined],
    ['text/pl ain', undefined],
    [',', undefined],
    [' , ', undefined],
    ['text/plain,', 'text/plain'],
    [', text/plain', 'text/plain'],
    ['text/plain, text/plain', 'text/plain'],
    ['text/plain; a="x,y"', 'text/plain'],
    ['text/plain; a="x\\",y", text/plain', 'text/plain'],
  ])('%j → %j', (value, media) => {
    expect(mediaTypeOf(value)).toBe(media);
  });

  it.each([
    'text/plain, application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded, nonsense',
    'nonsense, nonsense',
    'text/plain; a="x", text/html',
  ])('%j is refused: more than one media type', (value) => {
    expect(() => mediaTypeOf(value)).toThrowError(expect.objectContaining({ status: 400, problem: 'parameter_rejected', message: 'the Content-Type header lists more than one media type; send exactly one' }));
  });

  it('isForm: the form type in any spelling, nothing else', () => {
    expect(isForm('application/x-www-form-urlencoded')).toBe(true);
    expect(isForm('APPLICATION/x-www-form-urlencoded ;charset=UTF-8')).toBe(true);
    expect(isForm('application/json')).toBe(false);
    expect(isForm(undefined)).toBe(false);
  });
});

describe('normalizeParameters sorts by name, then by value (RFC 5849 §3.4.1.3.2)', () => {
  it('equal names: by encoded value, byte order', () => {
    expect(normalizeParameters([['a', 'c'], ['a', 'b'], ['a', 'B'], ['a', 'b'], ['a', '']])).toBe('a=&a=B&a=b&a=b&a=c');
    expect(normalizeParameters([['b', '1'], ['a', '2'], ['a', '10']])).toBe('a=10&a=2&b=1');
  });
});

describe('Authorization header: the parser at its edges', () => {
  const parse = parseAuthorizationHeader;
  it('a backslash in a later value does not change an earlier one; escapes stand for the character', () => {
    expect(parse('OAuth a="x", b="y\\"z"')).toEqual({ params: [['a', 'x'], ['b', 'y"z']] });
    expect(parse('OAuth a="\\\\", b="\\q"')).toEqual({ params: [['a', '\\'], ['b', 'q']] });
    expect(parse('OAuth a="x\\, y"')).toEqual({ params: [['a', 'x, y']] });
  });

  it.each([
    ['OAuth a="x', 'the Authorization header has an unterminated quoted value'],
    ['OAuth a="x\\', 'the Authorization header has an unterminated quoted value'],
    ['OAuth a="x\\"', 'the Authorization header has an unterminated quoted value'],
    ['OAuth =x', 'the Authorization header has a parameter without a name'],
    ['OAuth a', 'the Authorization header parameter "a" has no "=" and value'],
    ['OAuth a="1" b="2"', 'the Authorization header parameters must be separated by commas'],
    ['OAuth realm="a", Realm="b"', 'the Authorization header repeats the parameter "realm"'],
  ])('%j: %s', (header, message) => {
    expect(() => parse(header)).toThrowError(expect.objectContaining({ status: 400, problem: 'parameter_rejected', message }));
  });

  it('a repeat is found among many parameters too, and names the parameter', () => {
    const many = Array.from({ length: 20 }, (_, i) => `p${i}="${i}"`).join(', ');
    expect(parse(`OAuth ${many}`)?.params).toHaveLength(20);
    for (const at of [3, 17, 19]) {
      let err: unknown;
      try {
        parse(`OAuth ${many}, p${at}="again"`);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ status: 400, message: `the Authorization header repeats the parameter "p${at}"`, details: { parametersRejected: [`p${at}`] } });
    }
  });

  it('names and values are decoded only where they hold a "%", the realm never', () => {
    expect(parse('OAuth realm="a%20b", oauth%5Fx="1%202", y="3"')).toEqual({ realm: 'a%20b', params: [['oauth_x', '1 2'], ['y', '3']] });
    expect(parse('\t oauth \t a = "1" ,\t, b=2 ')).toEqual({ params: [['a', '1'], ['b', '2']] });
    expect(parse('OAuth')).toEqual({ params: [] });
    expect(parse('OAuthx a="1"')).toBeNull();
    expect(parse('OAut')).toBeNull();
  });

  it('formatAuthorizationHeader names its wrong arguments', () => {
    expect(() => formatAuthorizationHeader('x' as never)).toThrowError('"oauthParams" must be an array of [name, value] pairs');
    expect(() => formatAuthorizationHeader([], 5 as never)).toThrowError('"realm" must be a string');
    expect(() => parse(5 as never)).toThrowError('"value" must be a string');
    expect(formatAuthorizationHeader([['a b', 'c']])).toBe('OAuth a%20b="c"');
  });
});

/** The error a check throws: its code and message. */
function refusedBy(run: () => unknown): { code: string | undefined; message: string } {
  try {
    run();
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    return { code, message };
  }
  throw new Error('expected a throw');
}

describe('the option checks: each message quotes the path and says what was expected', () => {
  it.each<[string, () => unknown, string, string]>([
    ['object', () => check.object(null, 'o'), 'ERR_INVALID_ARG_TYPE', '"o" must be an object'],
    ['object, a function', () => check.object(() => 1, 'o'), 'ERR_INVALID_ARG_TYPE', '"o" must be an object'],
    ['object of a kind', () => check.object(5, 'o', 'a table'), 'ERR_INVALID_ARG_TYPE', '"o" must be a table'],
    ['optionalObject', () => check.optionalObject('x', 'o'), 'ERR_INVALID_ARG_TYPE', '"o" must be an object'],
    ['fn, missing with a reason', () => check.fn(undefined, 'f', 'unless x'), 'ERR_MISSING_OPTION', '"f" is required unless x'],
    ['fn, missing', () => check.fn(undefined, 'f'), 'ERR_INVALID_ARG_TYPE', '"f" must be a function'],
    ['fn, wrong with a reason', () => check.fn(5, 'f', 'unless x'), 'ERR_INVALID_ARG_TYPE', '"f" must be a function'],
    ['string', () => check.string(5, 's'), 'ERR_INVALID_ARG_TYPE', '"s" must be a string'],
    ['non-empty string', () => check.string(5, 's', { nonEmpty: true }), 'ERR_INVALID_ARG_TYPE', '"s" must be a non-empty string'],
    ['string of a kind', () => check.string(5, 's', { expected: 'a URL' }), 'ERR_INVALID_ARG_TYPE', '"s" must be a URL'],
    ['empty string', () => check.string('', 's', { nonEmpty: true }), 'ERR_INVALID_ARG_VALUE', '"s" must not be empty'],
    ['boolean', () => check.boolean('true', 'b', false), 'ERR_INVALID_ARG_TYPE', '"b" must be a boolean'],
    ['positiveInteger type', () => check.positiveInteger('1', 'n', 1), 'ERR_INVALID_ARG_TYPE', '"n" must be a number'],
    ['positiveInteger zero', () => check.positiveInteger(0, 'n', 1), 'ERR_INVALID_ARG_VALUE', '"n" must be a positive integer, received 0'],
    ['positiveInteger with a unit', () => check.positiveInteger(1.5, 'n', 1, 'bytes'), 'ERR_INVALID_ARG_VALUE', '"n" must be a positive integer number of bytes, received 1.5'],
    ['positiveInteger unsafe', () => check.positiveInteger(2 ** 53, 'n', 1), 'ERR_INVALID_ARG_VALUE', `"n" must be a positive integer, received ${2 ** 53}`],
    ['seconds type', () => check.seconds('1', 't', 1), 'ERR_INVALID_ARG_TYPE', '"t" must be a number of seconds'],
    ['seconds negative', () => check.seconds(-1, 't', 1), 'ERR_INVALID_ARG_VALUE', '"t" must be a non-negative finite number of seconds, received -1'],
    ['seconds infinite', () => check.seconds(Infinity, 't', 1), 'ERR_INVALID_ARG_VALUE', '"t" must be a non-negative finite number of seconds, received Infinity'],
    ['positive seconds zero', () => check.seconds(0, 't', 1, { positive: true }), 'ERR_INVALID_ARG_VALUE', '"t" must be a positive finite number of seconds, received 0'],
    ['oneOf of three', () => check.oneOf('d', 'k', ['a', 'b', 'c']), 'ERR_INVALID_ARG_VALUE', `"k" must be 'a', 'b' or 'c'`],
    ['oneOf of two', () => check.oneOf(5, 'k', ['a', 'b']), 'ERR_INVALID_ARG_VALUE', `"k" must be 'a' or 'b'`],
    ['oneOf, no fallback', () => check.oneOf(undefined, 'k', ['a']), 'ERR_INVALID_ARG_VALUE', `"k" must be 'a'`],
    ['stringArray', () => check.stringArray('a', 'l'), 'ERR_INVALID_ARG_TYPE', '"l" must be an array of strings'],
    ['non-empty stringArray', () => check.stringArray([], 'l', { nonEmpty: true }), 'ERR_INVALID_ARG_TYPE', '"l" must be a non-empty array of strings'],
    ['stringArray item', () => check.stringArray(['a', 2], 'l'), 'ERR_INVALID_ARG_TYPE', '"l[1]" must be a string'],
    ['absoluteUrl relative', () => check.absoluteUrl('/x', 'u'), 'ERR_INVALID_ARG_VALUE', '"u" must be an absolute URL such as https://api.example.com'],
    ['absoluteUrl scheme', () => check.absoluteUrl('ftp://a/', 'u', 'https://x'), 'ERR_INVALID_ARG_VALUE', '"u" must be an http or https URL such as https://x'],
    ['forbidden', () => check.forbidden({ a: 1, b: 2 }, ['x', 'b'], 'is set by the preset'), 'ERR_INVALID_ARG_VALUE', '"options.b" is set by the preset'],
    ['forbidden, a path', () => check.forbidden({ a: 1 }, ['a'], 'no', 'opts.sub'), 'ERR_INVALID_ARG_VALUE', '"opts.sub.a" no'],
  ])('%s', (_l, run, code, message) => {
    expect(refusedBy(run)).toEqual({ code, message });
  });

  it('what passes is returned, and undefined takes the fallback', () => {
    const o = {};
    const f = (): void => undefined;
    expect(check.object(o, 'o')).toBe(o);
    expect(check.optionalObject(undefined, 'o')).toBeUndefined();
    expect(check.optionalFn(undefined, 'f')).toBeUndefined();
    expect(check.fn(f, 'f', 'why')).toBe(f);
    expect(check.optionalString(undefined, 's')).toBeUndefined();
    expect(check.string('', 's')).toBe('');
    expect(check.boolean(undefined, 'b', true)).toBe(true);
    expect(check.boolean(false, 'b', true)).toBe(false);
    expect(check.positiveInteger(undefined, 'n', 7)).toBe(7);
    expect(check.positiveInteger(1, 'n', 7)).toBe(1);
    expect(check.seconds(undefined, 't', 3)).toBe(3);
    expect(check.seconds(0, 't', 3)).toBe(0);
    expect(check.seconds(0.5, 't', 3, { positive: true })).toBe(0.5);
    expect(check.oneOf(undefined, 'k', ['a', 'b'], 'b')).toBe('b');
    expect(check.oneOf('a', 'k', ['a', 'b'], 'b')).toBe('a');
    expect(check.stringArray([], 'l')).toEqual([]);
    expect(check.absoluteUrl('http://a.example/x', 'u')).toBe('http://a.example/x');
    expect(() => check.forbidden({ a: undefined }, ['a'], 'no')).not.toThrow();
  });
});
