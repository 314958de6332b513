import { describe, expect, it } from 'vitest';
import { formatAuthorizationHeader, OAuthError, parseAuthorizationHeader } from '../src/index.js';

function problemOf(fn: () => unknown): { status: number; problem: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, problem: err.problem, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

describe('formatAuthorizationHeader (RFC 5849 §3.5.1)', () => {
  it('puts realm first and encodes and quotes every other value', () => {
    expect(
      formatAuthorizationHeader(
        [
          ['oauth_consumer_key', '0685bd9184jfhq22'],
          ['oauth_signature', 'wOJIO9A2W5mFwDgiDvZbTSMK/PY='],
          ['oauth_callback', 'http://x/cb?a=1 2'],
        ],
        'Example',
      ),
    ).toBe(
      'OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D", oauth_callback="http%3A%2F%2Fx%2Fcb%3Fa%3D1%202"',
    );
  });
  it('escapes a realm as a quoted-string', () => {
    expect(formatAuthorizationHeader([], 'a "b" \\c')).toBe('OAuth realm="a \\"b\\" \\\\c"');
  });
});

describe('parseAuthorizationHeader', () => {
  it('parses the RFC 5849 §3.5.1 example', () => {
    const value = `OAuth realm="Example",
        oauth_consumer_key="0685bd9184jfhq22",
        oauth_token="ad180jjd733klru7",
        oauth_signature_method="HMAC-SHA1",
        oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D",
        oauth_timestamp="137131200",
        oauth_nonce="4572616e48616d6d65724c61686176",
        oauth_version="1.0"`.replace(/\n\s+/g, ' ');
    expect(parseAuthorizationHeader(value)).toEqual({
      realm: 'Example',
      params: [
        ['oauth_consumer_key', '0685bd9184jfhq22'],
        ['oauth_token', 'ad180jjd733klru7'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_signature', 'wOJIO9A2W5mFwDgiDvZbTSMK/PY='],
        ['oauth_timestamp', '137131200'],
        ['oauth_nonce', '4572616e48616d6d65724c61686176'],
        ['oauth_version', '1.0'],
      ],
    });
  });
  it('matches the scheme in any case and allows whitespace around = and ,', () => {
    expect(parseAuthorizationHeader('oauth  a = "1" ,b="2",\tc="3"')).toEqual({ params: [['a', '1'], ['b', '2'], ['c', '3']] });
    expect(parseAuthorizationHeader('OAUTH a="1"')).toEqual({ params: [['a', '1']] });
  });
  it('keeps commas and escaped quotes inside quoted values', () => {
    expect(parseAuthorizationHeader('OAuth realm="a, \\"b\\"", x="1,2"')).toEqual({ realm: 'a, "b"', params: [['x', '1,2']] });
  });
  it('tolerates unquoted token values and an empty OAuth header', () => {
    expect(parseAuthorizationHeader('OAuth a=1, b="2"')).toEqual({ params: [['a', '1'], ['b', '2']] });
    expect(parseAuthorizationHeader('OAuth')).toEqual({ params: [] });
  });
  it('recognises another scheme as "not OAuth" (null), not an error', () => {
    expect(parseAuthorizationHeader('Basic dXNlcjpwYXNz')).toBeNull();
    expect(parseAuthorizationHeader('Bearer abc')).toBeNull();
    expect(parseAuthorizationHeader('OAuthX a="1"')).toBeNull();
    expect(parseAuthorizationHeader('')).toBeNull();
  });
  it('reports a repeated parameter, never merges it', () => {
    const p = problemOf(() => parseAuthorizationHeader('OAuth oauth_nonce="a", oauth_nonce="b"'));
    expect(p).toMatchObject({ status: 400, problem: 'parameter_rejected' });
    expect(p.message).toContain('oauth_nonce');
    expect(problemOf(() => parseAuthorizationHeader('OAuth realm="a", realm="b"')).problem).toBe('parameter_rejected');
  });
  it.each([
    ['unterminated quote', 'OAuth a="1'],
    ['missing =', 'OAuth a'],
    ['missing comma', 'OAuth a="1" b="2"'],
    ['bad escape', 'OAuth a="%zz"'],
    ['bad UTF-8', 'OAuth a="%C3%28"'],
  ])('rejects a malformed header (%s) with 400', (_label, value) => {
    expect(problemOf(() => parseAuthorizationHeader(value)).status).toBe(400);
  });
  it('never echoes a value in its messages', () => {
    expect(problemOf(() => parseAuthorizationHeader('OAuth oauth_signature="s3cr3t%zz"')).message).not.toContain('s3cr3t');
  });
});
