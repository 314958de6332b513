import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, OAUTH1_CONSUMER_SECRET: '', OAUTH1_TOKEN_SECRET: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// RFC 5849 §3.1 / §3.4.1.1 request; signature as corrected by erratum EID 2550.
const RFC = [
  '--method', 'post',
  '--url', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  '--consumer-key', '9djdj82h48djs9d2', '--consumer-secret', 'j49sk3j29djd',
  '--token', 'kkk9d7dh3k39sjv7', '--token-secret', 'dh893hdasih9',
  '--form', 'c2=', '--form', 'a3=2 q',
  '--nonce', '7d8f3e4a', '--timestamp', '137131201', '--no-version', '--realm', 'Example',
];

describe('oauth1 CLI', () => {
  it('is built (npm test builds first)', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('prints the Authorization header', () => {
    const r = run(['sign', ...RFC]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"',
    );
  });

  it('prints the base string with --base-string and with the base-string command', () => {
    const expected =
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';
    expect(run(['sign', ...RFC, '--base-string']).stdout.trim()).toBe(expected);
    expect(run(['base-string', ...RFC]).stdout.trim()).toBe(expected);
  });

  it('prints a curl command carrying the header, the form body and the URL', () => {
    const out = run(['sign', ...RFC, '--curl']).stdout;
    expect(out).toMatch(/^curl -X POST /);
    expect(out).toContain(`-H 'Authorization: OAuth realm="Example"`);
    expect(out).toContain(`--data-raw 'c2=&a3=2%20q'`);
    expect(out).toContain(`'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b'`);
  });

  it('reads the secret from the environment', () => {
    const args = RFC.filter((a, i) => a !== '--consumer-secret' && RFC[i - 1] !== '--consumer-secret');
    const r = spawnSync(process.execPath, [CLI, 'sign', ...args], { encoding: 'utf8', env: { ...process.env, OAUTH1_CONSUMER_SECRET: 'j49sk3j29djd' } });
    expect(r.stdout).toContain('r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D');
  });

  it('speaks the conformance protocol with sign --json', () => {
    const request = {
      method: 'POST', url: 'http://example.com/request?b5=%3D%253D&a3=a', query: [['c@', ''], ['a2', 'r b']],
      form: [['c2', ''], ['a3', '2 q']], consumer_key: '9djdj82h48djs9d2', consumer_secret: 'j49sk3j29djd',
      token: 'kkk9d7dh3k39sjv7', token_secret: 'dh893hdasih9', signature_method: 'HMAC-SHA1', rsa_private_key_pem: null,
      nonce: '7d8f3e4a', timestamp: '137131201', realm: 'Example', extra_oauth: [], include_version: false,
    };
    const r = run(['sign', '--json'], JSON.stringify(request));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.signature).toBe('r6/TJjbCOr97/+UU0NsvSne7s5g=');
    expect(out.authorization).toMatch(/^OAuth realm="Example", /);
  });

  it('answers unsupported for an unknown method and error for a malformed request', () => {
    const base = { method: 'GET', url: 'https://x/', consumer_key: 'k', consumer_secret: 's', nonce: 'n', timestamp: '1' };
    expect(JSON.parse(run(['sign', '--json'], JSON.stringify({ ...base, signature_method: 'HMAC-MD5' })).stdout)).toMatchObject({ unsupported: true });
    const bad = JSON.parse(run(['sign', '--json'], JSON.stringify({ ...base, url: 'https://x/?a=%zz', signature_method: 'HMAC-SHA1' })).stdout);
    expect(bad.error).toMatch(/percent-encoding/);
    expect(bad.signature).toBeNull();
    const notJson = run(['sign', '--json'], '{');
    expect(notJson.code).toBe(1);
    expect(JSON.parse(notJson.stdout).error).toMatch(/invalid JSON/);
  });

  it('explains usage mistakes with exit code 2', () => {
    expect(run(['sign', '--url', 'https://x/']).code).toBe(2);
    expect(run(['sign', '--bogus']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['--help']).code).toBe(0);
  });

  it('reports a programmer-level mistake with exit code 1 and no secret', () => {
    const r = run(['sign', '--url', 'http://x/', '--consumer-key', 'k', '--consumer-secret', 'TOPSECRET', '--signature-method', 'PLAINTEXT']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/https/);
    expect(r.stderr).not.toContain('TOPSECRET');
  });
});
