import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareBaseStrings, parseBaseString, sign } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const creds = { client: { key: 'ck', secret: 'cs' }, token: { key: 'tk', secret: 'ts' }, nonce: 'abc', timestamp: 1318622958 };
const ours = (url: string, extra: Partial<Parameters<typeof sign>[0]> = {}) => sign({ method: 'POST', url, ...extra }, creds).baseString;

describe('compareBaseStrings', () => {
  it('says identical strings point at the key', () => {
    const b = ours('https://api.example.com/x');
    const r = compareBaseStrings(b, b);
    expect(r.identical).toBe(true);
    expect(r.hints[0]).toMatch(/key/);
  });
  it('finds a scheme difference (proxy) and the first differing character', () => {
    const r = compareBaseStrings(ours('https://api.example.com/x'), ours('http://api.example.com/x'));
    expect(r.identical).toBe(false);
    expect(r.firstDifference!.index).toBe(9);
    expect(r.uri).toEqual({ ours: 'https://api.example.com/x', theirs: 'http://api.example.com/x' });
    expect(r.hints.join()).toMatch(/Scheme differs/);
  });
  it('finds a kept default port', () => {
    const theirs = ours('https://api.example.com/x').replace('api.example.com', 'api.example.com%3A443');
    expect(compareBaseStrings(ours('https://api.example.com/x'), theirs).hints.join()).toMatch(/default port/);
  });
  it('finds form parameters the provider did not sign', () => {
    const withForm = ours('https://a.example/x', { body: { status: 'hi' } });
    const r = compareBaseStrings(withForm, ours('https://a.example/x'));
    expect(r.parameters).toEqual([{ name: 'status', ours: ['hi'], theirs: [] }]);
    expect(r.hints.join()).toMatch(/application\/x-www-form-urlencoded/);
  });
  it('finds repeated names merged, double encoding and + read as a literal plus', () => {
    const repeated = compareBaseStrings(ours('https://a.example/x?a=1&a=2'), ours('https://a.example/x?a=1'));
    expect(repeated.hints.join()).toMatch(/repeated names/);
    const double = compareBaseStrings(ours('https://a.example/x?q=a%20b'), ours('https://a.example/x?q=a%2520b'));
    expect(double.hints.join()).toMatch(/encoded twice/);
    const plus = compareBaseStrings(ours('https://a.example/x?q=a+b'), ours('https://a.example/x?q=a%2Bb'));
    expect(plus.hints.join()).toMatch(/"\+" and a space/);
  });
  it('finds a method difference', () => {
    const r = compareBaseStrings(ours('https://a.example/x'), ours('https://a.example/x').replace(/^POST/, 'GET'));
    expect(r.method).toEqual({ ours: 'POST', theirs: 'GET' });
  });
});

describe('oauth1 explain', () => {
  const args = ['--method', 'POST', '--url', 'https://api.example.com/x', '--consumer-key', 'ck', '--consumer-secret', 'cs', '--token', 'tk', '--token-secret', 'ts', '--nonce', 'abc', '--timestamp', '1318622958'];
  it('compares with a provider base string and exits 1 when they differ', () => {
    const theirs = ours('http://api.example.com/x');
    const r = spawnSync(process.execPath, [CLI, 'explain', ...args, '--provider-base-string', theirs], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/first differ at character 9/);
    expect(r.stdout).toMatch(/Scheme differs/);
  });
  it('finds the base string inside a provider error answer and explains the problem', () => {
    const theirs = ours('https://api.example.com/x?extra=1');
    const error = `oauth_problem=signature_invalid&debug_sbs=${encodeURIComponent(theirs)}`;
    const r = spawnSync(process.execPath, [CLI, 'explain', ...args, '--provider-error', error], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/The provider says: signature_invalid/);
    expect(r.stdout).toMatch(/extra is in the provider's base string only/);
  });
  it('exits 0 when they are identical', () => {
    const r = spawnSync(process.execPath, [CLI, 'explain', ...args, '--provider-base-string', ours('https://api.example.com/x')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/identical/);
  });
});

describe('parseBaseString', () => {
  it('is the inverse of signing: the method, the URI and the normalized parameters as signed', () => {
    const signed = sign({ method: 'post', url: 'https://API.example.com:443/a%20b?x=1&x=%2B&y' }, creds);
    const parts = parseBaseString(signed.baseString);
    expect(parts.method).toBe('POST');
    expect(parts.uri).toBe('https://api.example.com/a%20b');
    expect(parts.parameters).toEqual([
      ['oauth_consumer_key', 'ck'],
      ['oauth_nonce', 'abc'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', 'tk'],
      ['oauth_version', '1.0'],
      ['x', '%2B'],
      ['x', '1'],
      ['y', ''],
    ]);
  });
  it('reads what a provider printed without refusing it', () => {
    expect(parseBaseString('GET&%E0%A4%A&a%3D%25zz')).toEqual({ method: 'GET', uri: '%E0%A4%A', parameters: [['a', '%zz']] });
    expect(parseBaseString('')).toEqual({ method: '', uri: '', parameters: [] });
    expect(() => parseBaseString(3 as never)).toThrowError(/"baseString" must be a string/);
  });
});

describe('compareBaseStrings and empty values', () => {
  it('names a parameter with an empty value that only one side signed', () => {
    const r = compareBaseStrings('GET&https%3A%2F%2Fa.example%2F&a%3D1%26c2%3D', 'GET&https%3A%2F%2Fa.example%2F&a%3D1');
    expect(r.parameters).toEqual([{ name: 'c2', ours: [''], theirs: [] }]);
    expect(r.hints.join()).toMatch(/c2 is in our base string only/);
  });
});
