import { describe, expect, it } from 'vitest';
import { baseStringUri, collectParameters, normalizeParameters, OAuthError, signatureBaseString } from '../src/index.js';

describe('baseStringUri (RFC 5849 §3.4.1.2)', () => {
  it.each([
    // RFC 5849 §3.4.1.2 examples
    ['http://EXAMPLE.COM:80/r%20v/X?id=123', 'http://example.com/r%20v/X'],
    ['https://www.example.net:8080/?q=1', 'https://www.example.net:8080/'],
    // rules
    ['HTTPS://Example.com:443/p', 'https://example.com/p'],
    ['https://example.com:80/p', 'https://example.com:80/p'],
    ['http://example.com:443/p', 'http://example.com:443/p'],
    ['http://example.com', 'http://example.com/'],
    ['http://example.com?x=1', 'http://example.com/'],
    ['http://example.com/a+b/%7e/%2F?q#frag', 'http://example.com/a+b/%7e/%2F'],
    ['http://user:pw@example.com/p', 'http://example.com/p'],
    ['http://[::1]/p', 'http://[::1]/p'],
    ['https://[2001:DB8::1]:8443/p', 'https://[2001:db8::1]:8443/p'],
    ['http://[::1]:80/p', 'http://[::1]/p'],
  ])('%s → %s', (input, expected) => {
    expect(baseStringUri(input)).toBe(expected);
  });
  it('accepts a URL object', () => {
    expect(baseStringUri(new URL('http://EXAMPLE.com:80/'))).toBe('http://example.com/');
  });
  it('names the argument for a relative URL', () => {
    expect(() => baseStringUri('/relative')).toThrowError(/"url"/);
  });
});

describe('normalizeParameters (RFC 5849 §3.4.1.3.2)', () => {
  it('sorts by encoded name then encoded value, byte order', () => {
    expect(
      normalizeParameters([
        ['a1', 'x'],
        ['a-b', 'x'],
        ['a', 'z'],
        ['a', 'y'],
        ['A', 'x'],
      ]),
    ).toBe('A=x&a=y&a=z&a-b=x&a1=x');
  });
  it('sorts values by their encoded form, not their raw form', () => {
    // Before encoding "~" (0x7E) > "a"; after encoding it is still "~". "%" (0x25) sorts before letters.
    expect(normalizeParameters([['n', 'a'], ['n', '~'], ['n', ' ']])).toBe('n=%20&n=a&n=~');
    // "é" (U+00E9) sorts after "z" before encoding but "%C3%A9" sorts before "z" after.
    expect(normalizeParameters([['n', 'z'], ['n', 'é']])).toBe('n=%C3%A9&n=z');
  });
  it('encodes names and values, keeps repeated pairs and empty values', () => {
    expect(normalizeParameters([['c@', ''], ['c2', ''], ['a', 'r b'], ['a', 'r b']])).toBe('a=r%20b&a=r%20b&c%40=&c2=');
  });
  it('gives the empty string for no parameters', () => {
    expect(normalizeParameters([])).toBe('');
  });
});

describe('collectParameters (RFC 5849 §3.4.1.3.1)', () => {
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  it('takes the query, a form body and the header without realm and oauth_signature', () => {
    expect(
      collectParameters({
        method: 'POST',
        url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
        headers: {
          ...form,
          Authorization:
            'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
        },
        body: 'c2&a3=2+q',
      }),
    ).toEqual([
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
      ['c2', ''],
      ['a3', '2 q'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ]);
  });
  it.each(['application/x-www-form-urlencoded; charset=utf-8', 'APPLICATION/X-WWW-FORM-URLENCODED', ' application/x-www-form-urlencoded;charset=UTF-8'])(
    'reads a form body with Content-Type %s',
    (type) => {
      expect(collectParameters({ method: 'POST', url: 'http://x/', headers: { 'content-type': type }, body: 'a=1' })).toEqual([['a', '1']]);
    },
  );
  it.each(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencodedx'])(
    'ignores a body of Content-Type %s',
    (type) => {
      expect(collectParameters({ method: 'POST', url: 'http://x/', headers: { 'content-type': type }, body: 'a=1' })).toEqual([]);
    },
  );
  it('ignores a text body without Content-Type', () => {
    expect(collectParameters({ method: 'POST', url: 'http://x/', body: 'a=1' })).toEqual([]);
  });
  it('keeps a name found in both query and body twice', () => {
    expect(collectParameters({ method: 'POST', url: 'http://x/?a=1', headers: form, body: 'a=1' })).toEqual([
      ['a', '1'],
      ['a', '1'],
    ]);
  });
  it('reads a form given as bytes, URLSearchParams or fields, and headers as Headers', () => {
    const expected = [['a', 'é'], ['b', '2']];
    expect(collectParameters({ method: 'POST', url: 'http://x/', headers: new Headers(form), body: new TextEncoder().encode('a=%C3%A9&b=2') })).toEqual(expected);
    expect(collectParameters({ method: 'POST', url: 'http://x/', body: new URLSearchParams({ a: 'é', b: '2' }) })).toEqual(expected);
    expect(collectParameters({ method: 'POST', url: 'http://x/', body: { a: 'é', b: ['2'] } })).toEqual(expected);
  });
  it('treats a Basic Authorization header as no OAuth parameters', () => {
    expect(collectParameters({ method: 'GET', url: 'http://x/?a=1', headers: { authorization: 'Basic dXNlcjpwYXNz' } })).toEqual([['a', '1']]);
  });
  it('refuses a malformed query with OAuthError 400', () => {
    expect(() => collectParameters({ method: 'GET', url: 'http://x/?a=%E2%82' })).toThrow(OAuthError);
  });
  it('refuses a form body that is not UTF-8', () => {
    expect(() => collectParameters({ method: 'POST', url: 'http://x/', headers: form, body: new Uint8Array([0x61, 0x3d, 0xff]) })).toThrow(OAuthError);
  });
  it('refuses fields under a non-form Content-Type as a programmer mistake', () => {
    expect(() =>
      collectParameters({ method: 'POST', url: 'http://x/', headers: { 'content-type': 'application/json' }, body: { a: '1' } }),
    ).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('"request.body"') }));
  });
});

describe('signatureBaseString (RFC 5849 §3.4.1.1)', () => {
  it('builds the RFC 5849 §3.4.1.1 example', () => {
    const req = {
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization:
          'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
      },
      body: 'c2&a3=2+q',
    };
    // The base string printed in RFC 5849 §3.4.1.1.
    expect(signatureBaseString({ method: req.method, url: req.url, params: collectParameters(req) })).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
  it('uppercases the method and does not read the URL query again', () => {
    expect(signatureBaseString({ method: 'get', url: 'http://example.com/r?a=1', params: [['b', '2']] })).toBe(
      'GET&http%3A%2F%2Fexample.com%2Fr&b%3D2',
    );
  });
  it('refuses a missing method with a TypeError naming it', () => {
    expect(() => signatureBaseString({ method: '', url: 'http://x/', params: [] })).toThrowError(/"req.method"/);
  });
});
