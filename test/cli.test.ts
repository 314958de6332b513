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

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);
const KEY = ['--consumer-key', 'ck', '--consumer-secret', 'cs'];

describe('oauth1 CLI without rough edges', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('has help per command, and the general help lists the commands', () => {
    const general = run(['--help']);
    expect(general.stdout).toMatch(/oauth1 sign\s.*\n\s+oauth1 base-string\s.*\n\s+oauth1 explain\s.*\n\s+oauth1 conformance\s/);
    const sign = run(['sign', '--help']);
    expect(sign.code).toBe(0);
    expect(sign.stdout).toContain('--verbose');
    expect(sign.stdout).toContain('--provider ID');
    expect(sign.stdout).not.toContain('--exec');
    const conf = run(['conformance', '-h']);
    expect(conf.stdout).toContain('--concurrency N');
    expect(conf.stdout).not.toContain('--consumer-key');
    expect(run(['help', 'explain']).stdout).toContain('--provider-error TEXT');
  });

  it('refuses options that do not belong to the command, naming the command they belong to', () => {
    const r = run(['sign', ...KEY, '--url', 'https://x/', '--exec', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('oauth1: --exec is an option of "oauth1 conformance", not of "oauth1 sign"');
    expect(run(['conformance', '--exec', 'x', '--url', 'https://x/']).stderr).toContain('--url is an option of "oauth1 sign", not of "oauth1 conformance"');
    expect(run(['base-string', ...KEY, '--url', 'https://x/', '--curl']).code).toBe(2);
    expect(run(['sign', '--json', '--url', 'https://x/'], '{}').stderr).toContain('--json reads the whole request from stdin; leave out --url');
    expect(run(['sign', ...KEY, '--url']).stderr).toContain('--url needs a value');
  });

  it.each([
    [['--url', 'ftp://x'], '--url must be an absolute http(s) URL'],
    [['--url', 'not a url'], '--url must be an absolute http(s) URL'],
    [['--url', 'https://x/', '--method', 'FROB'], '--method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (got "FROB")'],
    [['--url', 'https://x/', '--timestamp', '17e8'], '--timestamp must be a positive whole number of seconds'],
    [['--url', 'https://x/', '--placement', 'cookie'], '--placement must be header, query or body'],
    [['--url', 'https://x/', '--signature-method', 'HMAC-MD5'], '--signature-method must be one of HMAC-SHA1'],
    [['--url', 'https://x/', '--signature-method', 'RSA-SHA1', '--private-key', '/nonexistent.pem'], '--private-key: cannot read "/nonexistent.pem": no such file'],
  ])('sign %j: exit 2, the message in flag terms, no stack trace', (args, message) => {
    const r = run(['sign', ...KEY, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`oauth1: ${message}`);
    noStack(r.stderr);
  });

  it('a key file that is not a key, or a library refusal: exit 1, one line in flag terms', () => {
    const bad = run(['sign', '--consumer-key', 'k', '--url', 'https://x/', '--signature-method', 'RSA-SHA1', '--private-key', fileURLToPath(new URL('../package.json', import.meta.url))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^oauth1: --private-key is not a readable PEM private key/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const conf = run(['conformance', '--exec', 'true', '--vectors', '/nonexistent']);
    expect(conf.code).toBe(2);
    expect(conf.stderr).toContain('--vectors: "/nonexistent" is not a directory');
    noStack(conf.stderr);
    expect(run(['conformance', '--exec', 'true', '--concurrency', '0']).stderr).toContain('--concurrency must be a positive whole number');
  });

  it('sign --verbose prints the header and the base string of the same signing', async () => {
    const { createHmac } = await import('node:crypto');
    const r = run(['sign', ...KEY, '--token', 'tk', '--token-secret', 'ts', '--method', 'POST', '--url', 'https://api.example.com/a?b=1', '--form', 'c=d e', '--verbose']);
    expect(r.code).toBe(0);
    const header = /^Authorization: (OAuth .*)$/m.exec(r.stdout)?.[1] ?? '';
    const baseString = /^Base string: (.*)$/m.exec(r.stdout)?.[1] ?? '';
    expect(baseString).toMatch(/^POST&https%3A%2F%2Fapi\.example\.com%2Fa&b%3D1%26c%3Dd%2520e%26oauth_consumer_key%3Dck/);
    const nonce = /oauth_nonce="([^"]+)"/.exec(header)?.[1];
    expect(baseString).toContain(`oauth_nonce%3D${nonce}`);
    const signature = decodeURIComponent(/oauth_signature="([^"]+)"/.exec(header)?.[1] ?? '');
    expect(createHmac('sha1', 'cs&ts').update(baseString).digest('base64')).toBe(signature);
  });

  it('explain says "not a base string" for garbage, and finds an unencoded debug_sbs in a provider answer', () => {
    const garbage = run(['explain', '--provider-base-string', 'Invalid signature, sorry', '--ours-base-string', 'GET&https%3A%2F%2Fx%2F&a%3D1']);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('--provider-base-string is not a base string');
    expect(garbage.stdout).toBe('');
    const noise = run(['explain', '--provider-error', '<html>502 Bad Gateway</html>']);
    expect(noise.stdout).toContain('not a base string');
    expect(noise.stdout.split('\n').length).toBeLessThan(4);
    const found = run([
      'explain',
      '--provider-error', 'oauth_problem=signature_invalid&debug_sbs=POST&https%3A%2F%2Fapi.example.com%3A443%2Fa&b%3D1%26oauth_consumer_key%3Dck',
      '--ours-base-string', 'POST&https%3A%2F%2Fapi.example.com%2Fa&b%3D1%26oauth_consumer_key%3Dck',
    ]);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('The provider says: signature_invalid');
    expect(found.stdout).toMatch(/theirs: .*api\.example\.com%3A443%2Fa/);
    expect(found.stdout).toMatch(/Port differs/);
  });

  it('names a provider profile: --provider netsuite --account 1234567_SB1', () => {
    const url = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42';
    const r = run(['sign', '--provider', 'netsuite', '--account', '1234567-sb1', '--url', url, ...KEY, '--token', 'tk', '--token-secret', 'ts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OAuth realm="1234567_SB1", oauth_consumer_key="ck", oauth_token="tk", oauth_signature_method="HMAC-SHA256", /);
    const host = run(['sign', '--provider', 'netsuite', '--account', '1234567_SB1', '--url', url.replace('1234567-sb1', '1234567_sb1'), ...KEY]);
    expect(host.code).toBe(1);
    expect(host.stderr).toContain('oauth1: --url host "1234567_sb1.suitetalk.api.netsuite.com" spells the account as the realm does');
    const sha1 = run(['sign', '--provider', 'netsuite', '--account', '1234567_SB1', '--signature-method', 'HMAC-SHA1', '--url', url, ...KEY]);
    expect(sha1.stderr).toContain('--signature-method "HMAC-SHA1" is not accepted by NetSuite');
    expect(run(['sign', '--account', '1', '--url', url, ...KEY]).stderr).toContain('--account goes with --provider');
    const mc = run(['sign', '--provider', 'mastercard', '--url', 'https://api.mastercard.com/x', '--consumer-key', 'ck', '--private-key', fileURLToPath(new URL('./fixtures/rsa-private-pkcs8.pem', import.meta.url)), '--verbose']);
    expect(mc.stdout).toContain('oauth_body_hash="47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D"');
    expect(mc.stdout).toContain('Signature method: RSA-SHA256');
  });
});
