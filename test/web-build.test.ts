// The web build (dist/web, WebCrypto): what package.json selects for
// workerd, worker, browser, deno and edge-light. It must never reach a Node
// built-in or Buffer, and on any platform with WebCrypto it must give the
// Node build's results through the async API. Run on Node here (which has
// WebCrypto too); test/runtimes/ runs it in the runtimes themselves.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CONDITIONS, webEntries } from '../scripts/entries.mjs';
import { conformanceSignArgs, signConformanceRequest, type ConformanceRequest } from '../src/conformance/protocol.js';
import * as nodeBuild from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
type Lib = typeof nodeBuild;
let web: Lib;
let project = '';

beforeAll(async () => {
  web = (await import(pathToFileURL(join(root, 'dist/web/index.js')).href)) as Lib;
  // A project with this package installed, to resolve `oauth1` by its conditions.
  project = mkdtempSync(join(tmpdir(), 'oauth1-web-build-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules', 'oauth1'), 'dir');
  writeFileSync(join(project, 'package.json'), '{"name":"app","private":true,"type":"module"}');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('package.json selects the web build', () => {
  it('for the root, the Fetch and Hono adapters, the Redis stores, the provider profiles and the store contracts, under every web condition', () => {
    expect(webEntries.map((e) => e.subpath)).toEqual(['oauth1', 'oauth1/fetch', 'oauth1/hono', 'oauth1/redis', 'oauth1/providers', 'oauth1/testing']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, unknown>> };
    for (const e of webEntries) {
      const key = e.subpath === 'oauth1' ? '.' : `./${e.subpath.slice('oauth1/'.length)}`;
      expect(Object.keys(pkg.exports[key] ?? {})).toEqual([...WEB_CONDITIONS, 'import', 'require']);
    }
    // The Node frameworks' adapters and the HTTP-client integrations have no web build.
    for (const key of ['./node', './express', './fastify', './koa', './passport', './axios', './undici', './got', './ky']) expect(Object.keys(pkg.exports[key] ?? {})).toEqual(['import', 'require']);
  });

  it.each(WEB_CONDITIONS)('esbuild resolving with the "%s" condition bundles dist/web, and "node" the Node build', async (condition) => {
    const { build } = await import('esbuild');
    const bundle = (conditions: string[]) =>
      build({
        stdin: { contents: `export * from 'oauth1'; export * from 'oauth1/fetch'; export * from 'oauth1/hono'; export * from 'oauth1/redis'; export * from 'oauth1/providers'; export * from 'oauth1/testing';`, resolveDir: project, loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        conditions,
        external: ['node:*', 'crypto'],
        metafile: true,
        logLevel: 'silent',
      });
    const webInputs = Object.keys((await bundle([condition, 'import'])).metafile.inputs).filter((i) => i !== '<stdin>');
    expect(webInputs.length).toBeGreaterThan(0);
    expect(webInputs.every((i) => i.includes('dist/web/'))).toBe(true);
    const nodeInputs = Object.keys((await bundle(['node', 'import'])).metafile.inputs);
    expect(nodeInputs.some((i) => i.includes('dist/web/'))).toBe(false);
  });
});

describe('no module of the web build reaches Node', () => {
  it('every web entry bundles with esbuild --platform=browser, and the bundle names no Node built-in, Buffer or process', async () => {
    const { build } = await import('esbuild');
    for (const entry of webEntries) {
      const out = await build({
        entryPoints: [join(root, `dist/${entry.name}.js`)],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
      });
      const text = out.outputFiles[0]?.text ?? '';
      expect(text.length, entry.name).toBeGreaterThan(1000);
      expect(text, entry.name).not.toMatch(/\bBuffer\b|\bprocess\b|["']node:|require\(/);
    }
  });

  it('the web entries type-check without Node types (TypeScript with moduleSuffixes [".web", ""], types [])', () => {
    const config = join(project, 'tsconfig.web.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { types: [], moduleSuffixes: ['.web', ''], noEmit: true, rootDir: root },
        files: webEntries.map((e) => join(root, e.source)),
        include: [],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config, '--listFiles'], { encoding: 'utf8' });
    expect(tsc.stdout.split('\n').filter((l) => l.includes('error TS')), tsc.stdout.slice(0, 3000)).toEqual([]);
    expect(tsc.status).toBe(0);
    const files = tsc.stdout.split('\n').filter((l) => l.startsWith(root) && l.includes('/src/'));
    // The proof that the swap happened: the web back end is compiled, the Node one is not.
    expect(files.some((f) => f.endsWith('src/methods/crypto/web.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('src/methods/crypto/node.ts') || f.endsWith('src/adapters/node-io.ts'))).toBe(false);
  }, 120_000);

  it('its declarations give KeyLike the web members only', () => {
    const types = readFileSync(join(root, 'dist/web/index.d.ts'), 'utf8') + webChunkDeclarations();
    expect(types).toMatch(/type KeyLike = string \| Uint8Array \| CryptoKey;/);
    const code = types.split('\n').filter((l) => !/^\s*(\*|\/\*\*|\/\/)/.test(l));
    expect(code.filter((l) => /KeyObject|from ['"]node:|\bBuffer\b/.test(l))).toEqual([]);
  });
});

function webChunkDeclarations(): string {
  const dir = join(root, 'dist/web');
  return spawnSync('sh', ['-c', `cat ${dir}/*.d.ts`], { encoding: 'utf8' }).stdout;
}

describe('the web build on a platform with WebCrypto', () => {
  const X = {
    method: 'POST',
    url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
  };
  const X_OPTS = {
    client: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
    token: { key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE' },
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    timestamp: 1318622958,
  };

  it('signs the X/Twitter documentation example as the Node build does', async () => {
    const signed = await web.signAsync(X, X_OPTS);
    // X developer documentation, "Creating a signature" (vectors/providers.json).
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(signed).toEqual(nodeBuild.sign(X, X_OPTS));
  });

  it('gives the Node build\'s result for every signing vector (refusals included)', async () => {
    const files = ['rfc5849-examples', 'community-examples', 'providers', 'encoding', 'parameters', 'base-string-uri', 'signature-methods', 'body'];
    let count = 0;
    for (const f of files) {
      const data = JSON.parse(readFileSync(join(root, `vectors/${f}.json`), 'utf8')) as { vectors: Array<{ id: string; input: ConformanceRequest }> };
      for (const v of data.vectors) {
        const prepared = conformanceSignArgs(v.input);
        if ('result' in prepared) continue;
        const expected = signConformanceRequest(v.input);
        let got: { base_string: string | null; signature: string | null; authorization: string | null; error?: string };
        try {
          const s = await web.signAsync(...prepared.args);
          got = { base_string: s.baseString, signature: s.signature, authorization: s.headers['Authorization'] ?? null };
        } catch (err) {
          got = { base_string: null, signature: null, authorization: null, error: (err as Error).message };
        }
        expect(got, v.id).toEqual(expected);
        count++;
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('the synchronous functions name the async one to use, and work where no crypto is needed', () => {
    const code = { code: 'ERR_SYNC_CRYPTO_UNAVAILABLE' };
    expect(() => web.sign(X, X_OPTS)).toThrowError(expect.objectContaining({ ...code, message: expect.stringMatching(/^sign\(\) cannot finish synchronously here: HMAC uses WebCrypto.*Use signAsync\(\)/) }));
    expect(() => web.createSignature('RSA-SHA256', 'b', { privateKey: 'x' })).toThrowError(expect.objectContaining({ ...code, message: expect.stringContaining('Use createSignatureAsync()') }));
    expect(() => web.verifySignature('HMAC-SHA1', 'b', 's', { clientSecret: 'c' })).toThrowError(expect.objectContaining({ ...code, message: expect.stringContaining('Use verifySignatureAsync()') }));
    expect(() => web.bodyHash('{}', 'SHA-256')).toThrowError(expect.objectContaining({ ...code, message: expect.stringContaining('Use bodyHashAsync()') }));
    expect(() => web.signOutcomeRequest({ url: 'https://lms.example/o', consumer: { key: 'k', secret: 's' }, xml: '<x/>' })).toThrowError(
      expect.objectContaining({ ...code, message: expect.stringContaining('Use signOutcomeRequestAsync()') }),
    );
    const json = { method: 'POST', url: 'https://api.example.com/a', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect(() => web.sign(json, { ...X_OPTS, signatureMethod: 'PLAINTEXT', bodyHash: 'SHA-1' })).toThrowError(expect.objectContaining(code));
    // PLAINTEXT needs no crypto: it works, and as on Node.
    const plain = { ...X_OPTS, signatureMethod: 'PLAINTEXT' };
    expect(web.sign(X, plain)).toEqual(nodeBuild.sign(X, plain));
    expect(web.createSignature('PLAINTEXT', 'b', { clientSecret: 'c s', tokenSecret: 't' })).toBe('c%20s&t');
    expect(web.verifySignature('PLAINTEXT', 'b', 'c%20s&t', { clientSecret: 'c s', tokenSecret: 't' })).toBe(true);
    expect(web.generateNonce()).toMatch(/^[0-9a-f]{32}$/);
    expect(web.generateCredentials().secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A programmer's mistake is still reported as such, not as "use signAsync".
    expect(() => web.sign(X, { ...X_OPTS, client: { key: '' } })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  it('the verifier accepts a signed request and refuses a tampered one (401) and a replay', async () => {
    const verifier = web.createVerifier({
      lookupClient: (key) => (key === X_OPTS.client.key ? { secret: X_OPTS.client.secret } : undefined),
      lookupToken: (key) => (key === X_OPTS.token.key ? { secret: X_OPTS.token.secret } : undefined),
      clock: () => 1318622958 * 1000,
    });
    const signed = await web.signAsync(X, X_OPTS);
    const request = { method: signed.method, url: signed.url, headers: signed.headers, body: signed.body ?? '' };
    await expect(verifier.verify(request)).resolves.toMatchObject({ consumerKey: X_OPTS.client.key, tokenKey: X_OPTS.token.key });
    await expect(verifier.verify(request)).rejects.toMatchObject({ status: 401, problem: 'nonce_used' });
    const tampered = await web.signAsync(X, { ...X_OPTS, nonce: 'another' });
    await expect(verifier.verify({ ...request, headers: tampered.headers, body: 'status=Hello' })).rejects.toMatchObject({ status: 401, problem: 'signature_invalid' });
  });

  it('RSA-SHA256 and body hashes: signed by the web build, verified by the Node build, and the other way', async () => {
    const pem = readFileSync(new URL('./fixtures/rsa-private-pkcs1.pem', import.meta.url), 'utf8');
    const cert = readFileSync(new URL('./fixtures/rsa-cert.pem', import.meta.url), 'utf8');
    const req = { method: 'PUT', url: 'https://api.example.com/items/1', headers: { 'content-type': 'application/json' }, body: '{"name":"é"}' };
    const opts = { client: { key: 'rsa-client', privateKey: pem }, signatureMethod: 'RSA-SHA256', bodyHash: true, nonce: 'n', timestamp: 1700000000 } as const;
    const fromWeb = await web.signAsync(req, opts);
    expect(fromWeb).toEqual(nodeBuild.sign(req, opts));
    const make = (lib: Lib) =>
      lib.createVerifier({ lookupClient: () => ({ publicKey: cert }), tokenRequired: false, requireBodyHash: true, clock: () => 1700000000 * 1000 });
    await expect(make(web).verify({ ...req, headers: fromWeb.headers })).resolves.toMatchObject({ signatureMethod: 'RSA-SHA256' });
    await expect(make(nodeBuild).verify({ ...req, headers: fromWeb.headers })).resolves.toBeDefined();
    await expect(make(web).verify({ ...req, headers: fromWeb.headers, body: '{"name":"e"}' })).rejects.toMatchObject({ status: 401, problem: 'signature_invalid' });
    // An unknown RSA client is checked against the dummy key, and refused.
    const unknown = (detailedErrors: boolean) => web.createVerifier({ lookupClient: () => undefined, tokenRequired: false, clock: () => 1700000000 * 1000, detailedErrors });
    await expect(unknown(false).verify({ ...req, headers: fromWeb.headers })).rejects.toMatchObject({ status: 401, problem: 'signature_invalid' });
    await expect(unknown(true).verify({ ...req, headers: fromWeb.headers })).rejects.toMatchObject({ status: 401, problem: 'consumer_key_unknown' });
  });

  it('the memory nonce store holds long keys whole where it cannot hash them synchronously', async () => {
    const store = web.createMemoryNonceStore();
    const long = `ck&tk&1700000000&${'n'.repeat(200)}`;
    expect(await store.consume(long, 60)).toBe(true);
    expect(await store.consume(long, 60)).toBe(false);
    expect(await store.consume(`#${'x'.repeat(10)}`, 60)).toBe(true);
    expect(await store.consume(`#${'x'.repeat(10)}`, 60)).toBe(false);
    expect(store.size).toBe(2);
  });

  it('the Redis store of the web build hashes long keys with WebCrypto, as the Node build does', async () => {
    const calls: string[][] = [];
    const client = { sendCommand: async (args: string[]) => (calls.push(args), 'OK') };
    const { createRedisNonceStore } = (await import(pathToFileURL(join(root, 'dist/web/stores/redis.js')).href)) as typeof import('../src/stores/redis.js');
    const { createRedisNonceStore: nodeStore } = await import('../src/stores/redis.js');
    const key = `ck&tk&1700000000&${'n'.repeat(2000)}`;
    expect(await createRedisNonceStore(client).consume(key, 60)).toBe(true);
    expect(await nodeStore(client).consume(key, 60)).toBe(true);
    expect(calls[0]).toEqual(calls[1]);
    expect(calls[0]?.[1]?.length).toBeLessThan(100);
  });
});
