// The packed tarball, installed as a user would get it: every subpath loads
// from ESM and from CJS, types are shipped, and nothing private is published.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binEntries, libraryEntries, webEntries } from '../scripts/entries.mjs';
import { stubs } from '../scripts/stubs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Every subpath, as package.json `exports` declares it.
const SUBPATHS = libraryEntries.map((e) => e.subpath);
let dir = '';
let tarball = '';
let files: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oauth1-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const info = JSON.parse(out)[0] as { filename: string; files: Array<{ path: string }> };
  files = info.files.map((f) => f.path);
  tarball = join(dir, info.filename);
  const pkgDir = join(dir, 'app', 'node_modules', 'oauth1');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info.filename), '-C', pkgDir, '--strip-components=1']);
  writeFileSync(join(dir, 'app', 'package.json'), '{"name":"app","private":true}');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(code: string, type: 'module' | 'commonjs') {
  const file = join(dir, 'app', type === 'module' ? 'check.mjs' : 'check.cjs');
  writeFileSync(file, code);
  return spawnSync(process.execPath, [file], { cwd: join(dir, 'app'), encoding: 'utf8' });
}

describe('the published package', () => {
  it('ships dist, vectors, README and LICENSE, and no sources, tests or vector generators', () => {
    const bins = binEntries.map((e) => `dist/${e.name}.js`);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', ...bins]));
    expect(files).toEqual(expect.arrayContaining(['vectors/README.md', 'vectors/schema.json', 'vectors/keys/rsa-1024-private-pkcs8.pem']));
    expect(files.some((f) => f.startsWith('vectors/') && f.endsWith('.json'))).toBe(true);
    expect(files.filter((f) => /^(src|test|\.ci|vectors\/generate)\//.test(f))).toEqual([]);
    // No source maps: they would point at sources the package does not ship.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('ships a type declaration for every subpath, ESM and CJS, in both builds', () => {
    expect(libraryEntries.length).toBeGreaterThan(1);
    expect(webEntries.length).toBeGreaterThan(0);
    for (const { name: sub } of [...libraryEntries, ...webEntries]) {
      expect(files).toContain(`dist/${sub}.js`);
      expect(files).toContain(`dist/${sub}.cjs`);
      expect(files).toContain(`dist/${sub}.d.ts`);
      expect(files).toContain(`dist/${sub}.d.cts`);
    }
  });

  it('loads every subpath with import()', () => {
    const r = run(`for (const s of ${JSON.stringify(SUBPATHS)}) { const m = await import(s); if (!Object.keys(m).length) throw new Error(s + ' is empty'); }
const { sign, OAuthError } = await import('oauth1');
const s = sign({ method: 'GET', url: 'https://x.example/' }, { client: { key: 'k', secret: 's' } });
console.log(s.headers.Authorization.startsWith('OAuth ') && typeof OAuthError === 'function' ? 'ok' : 'bad');`, 'module');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('loads every subpath with require(), and OAuthError is recognised across the two builds', () => {
    const r = run(`for (const s of ${JSON.stringify(SUBPATHS)}) { const m = require(s); if (!Object.keys(m).length) throw new Error(s + ' is empty'); }
const cjs = require('oauth1');
import('oauth1').then((esm) => {
  const err = new esm.OAuthError(401, 'signature_invalid', 'x');
  console.log(err instanceof cjs.OAuthError ? 'ok' : 'bad');
});`, 'commonjs');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('ships the vectors as importable JSON', () => {
    const r = run(`import v from 'oauth1/vectors/rfc5849-examples.json' with { type: 'json' }; console.log(v.vectors.length > 0 ? 'ok' : 'bad');`, 'module');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('passes publint and "are the types wrong" in all four resolution modes (node10, node16 from CJS and ESM, bundler)', () => {
    const bin = (name: string) => join(root, 'node_modules', '.bin', name);
    const lint = spawnSync(bin('publint'), ['--strict'], { cwd: root, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toMatch(/All good/);
    expect(lint.status).toBe(0);
    const attw = spawnSync(bin('attw'), [tarball, '--format', 'ascii'], { encoding: 'utf8' });
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
    expect(attw.stdout).toContain('No problems found');
    // Every subpath, every column green: node10 included.
    for (const subpath of SUBPATHS) expect(attw.stdout, subpath).toContain(`"${subpath}"\n\nnode10: 🟢`);
  }, 60_000);

  it('ships one package.json folder per subpath for moduleResolution node10, derived from exports and pointing at files it ships', () => {
    const expected = stubs();
    expect(Object.keys(expected).sort()).toEqual(SUBPATHS.filter((s) => s !== 'oauth1').map((s) => s.slice('oauth1/'.length)).sort());
    for (const [folder, stub] of Object.entries(expected)) {
      expect(files).toContain(`${folder}/package.json`);
      const shipped = JSON.parse(readFileSync(join(dir, 'app', 'node_modules', 'oauth1', folder, 'package.json'), 'utf8')) as typeof stub;
      expect(shipped).toEqual(stub);
      for (const target of [stub.main, stub.module, stub.types]) expect(files).toContain(normalize(join(folder, target)));
    }
    // No folder left from a subpath that no longer exists.
    expect(files.filter((f) => /^[^/]+\/package\.json$/.test(f)).sort()).toEqual(Object.keys(expected).map((f) => `${f}/package.json`).sort());
  });

  it('runs the CLI from the package', () => {
    const r = spawnSync(process.execPath, [join(dir, 'app', 'node_modules', 'oauth1', 'dist', `${binEntries[0]!.name}.js`), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/oauth1 sign/);
    expect(readdirSync(join(dir, 'app', 'node_modules', 'oauth1', 'vectors')).length).toBeGreaterThan(3);
  });
});
