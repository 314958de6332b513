import { describe, expect, it } from 'vitest';
import { OAuthError, parseForm, percentDecode, percentEncode, formatForm } from '../src/index.js';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('leaves exactly the unreserved set unencoded', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const unreserved = /[A-Za-z0-9\-._~]/.test(ch);
      const expected = unreserved ? ch : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(percentEncode(ch), `char ${c}`).toBe(expected);
    }
  });
  it("encodes !'()* that encodeURIComponent leaves alone", () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
  });
  it('encodes UTF-8 bytes with uppercase hex, 2, 3 and 4 byte forms', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('€')).toBe('%E2%82%AC');
    expect(percentEncode('𝄞')).toBe('%F0%9D%84%9E');
  });
  it('encodes a space as %20 and + as %2B', () => {
    expect(percentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
  });
  it('refuses a lone surrogate with a TypeError, not a silently different value', () => {
    expect(() => percentEncode('a\uD800b')).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });
});

describe('percentDecode (strict)', () => {
  it('decodes escapes in either case and multi-byte UTF-8', () => {
    expect(percentDecode('caf%C3%A9%20%e2%82%ac')).toBe('café €');
  });
  it('leaves + as +', () => {
    expect(percentDecode('a+b')).toBe('a+b');
  });
  it.each(['%', '%2', '%zz', 'a%g0', '%C3%28', '%C0%AF', '%ED%A0%80', '%F8%88%80%80%80', '%FF'])(
    'rejects %s with OAuthError 400 parameter_rejected',
    (bad) => {
      let caught: unknown;
      try {
        percentDecode(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(OAuthError);
      expect((caught as OAuthError).status).toBe(400);
      expect((caught as OAuthError).problem).toBe('parameter_rejected');
    },
  );
});

describe('parseForm (application/x-www-form-urlencoded)', () => {
  it('reads + as a space, keeps order and repeated names', () => {
    expect(parseForm('b=1+2&a=x&b=%2B')).toEqual([
      ['b', '1 2'],
      ['a', 'x'],
      ['b', '+'],
    ]);
  });
  it('keeps b=c of a=b=c and gives a bare name an empty value', () => {
    expect(parseForm('a=b=c&d&e=')).toEqual([
      ['a', 'b=c'],
      ['d', ''],
      ['e', ''],
    ]);
  });
  it('skips empty pieces', () => {
    expect(parseForm('&&a=1&&')).toEqual([['a', '1']]);
  });
  it('decodes names too', () => {
    expect(parseForm('c%40=x')).toEqual([['c@', 'x']]);
  });
  it('rejects a malformed escape', () => {
    expect(() => parseForm('a=%zz')).toThrow(OAuthError);
  });
  it('formatForm round-trips through parseForm', () => {
    const pairs: Array<[string, string]> = [['a b', 'c+d'], ['é', '='], ['x', '']];
    expect(parseForm(formatForm(pairs))).toEqual(pairs);
  });
});
