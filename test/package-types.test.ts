/**
 * The packed package's types, as projects that install it see them:
 *
 * - every ```ts block of README.md and docs/**\/*.md type-checks under three
 *   settings: TypeScript 6 strict with `module: nodenext` (ESM), the same with
 *   `exactOptionalPropertyTypes`, and a CommonJS project with
 *   `moduleResolution: node10` (NestJS and most older Express projects);
 * - every subpath resolves in each of those projects;
 * - a project without `"types": ["node"]` type-checks against the package's
 *   own declarations without loading @types/node;
 * - an app that registers its own result type (OAuthRegister) sees it on
 *   `req.oauth`, `request.oauth` and `ctx.state.oauth`.
 *
 * The convention for documentation blocks: a ```ts block is a complete
 * module (imports included; what the reader supplies, such as a database,
 * is `declare`d in the block). A block that cannot be one is fenced
 * ```ts ignore and explains why next to it. In the CommonJS project a block
 * with top-level `await` is wrapped in an async function (its imports,
 * `declare`s and exports stay at the top), as a CommonJS app would write it.
 *
 * The projects live under .tmp/ (git-ignored) so that the frameworks'
 * packages and types resolve from the repository's node_modules, while
 * `oauth1` resolves to the packed tarball installed next to them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryEntries } from '../scripts/entries.mjs';
import { asCommonJs, markdownFiles, tsBlocks } from './helpers/markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.tmp', 'package-types');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

interface Setting {
  name: string;
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
}

const STRICT = { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, skipLibCheck: true };
const SETTINGS: Setting[] = [
  { name: 'nodenext-strict', type: 'module', compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'nodenext-exact-optional', type: 'module', compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', exactOptionalPropertyTypes: true } },
  {
    name: 'commonjs-node10',
    type: 'commonjs',
    compilerOptions: { ...STRICT, module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true, ignoreDeprecations: '6.0' },
  },
];

/** A file that imports every subpath, so resolution is checked whatever the blocks import. */
const everySubpath = (): string =>
  `${libraryEntries.map((e, i) => `import * as m${i} from '${e.subpath}';`).join('\n')}\nexport const all = [${libraryEntries.map((_, i) => `m${i}`).join(', ')}];\n`;

/** Writes a project and returns tsc's diagnostics (one per line), file names relative to the project. */
async function typeCheck(name: string, type: Setting['type'], compilerOptions: object, files: Record<string, string>, extraArgs: string[] = []): Promise<string> {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2));
  for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
  try {
    const { stdout } = await run(process.execPath, [tsc, '-p', dir, '--pretty', 'false', ...extraArgs], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  const pkg = join(work, 'node_modules', 'oauth1');
  mkdirSync(pkg, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tarball = join(work, (JSON.parse(out) as Array<{ filename: string }>)[0]?.filename ?? '');
  execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
}, 60_000);

describe('documentation blocks against the packed package', () => {
  const blocks = markdownFiles().flatMap(tsBlocks);

  it('there are blocks to check (README.md has its two, the guides the rest)', () => {
    expect(blocks.filter((b) => b.where.startsWith('README.md')).length).toBe(2);
    expect(blocks.filter((b) => b.where.startsWith('docs/guides/')).length).toBeGreaterThan(30);
  });

  it.each(SETTINGS.map((s) => [s.name, s] as const))('%s: every ```ts block type-checks, and every subpath resolves', async (_name, setting) => {
    const files: Record<string, string> = { 'subpaths.ts': everySubpath() };
    const names = new Map<string, string>();
    blocks.forEach((b, i) => {
      const file = `block-${String(i).padStart(2, '0')}.ts`;
      names.set(file, b.where);
      files[file] = setting.type === 'commonjs' ? asCommonJs(b.code) : b.code;
    });
    const out = await typeCheck(setting.name, setting.type, setting.compilerOptions, files);
    // Name the Markdown line of each error, not the generated file.
    const report = out.replace(/^(block-\d+\.ts)\((\d+),(\d+)\)/gm, (_m, file: string, line: string) => `${names.get(file)} (+${Number(line) - 1} lines)`);
    expect(report.trim()).toBe('');
  }, 240_000);
});

describe('the package types in other projects', () => {
  it('need no @types/node: a project without "types": ["node"] checks the declarations (skipLibCheck off) and never loads them', async () => {
    // Fastify, Koa, undici and got bring Node's types with their own; every other subpath is checked here.
    const subpaths = libraryEntries.filter((e) => !/\/(fastify|koa|undici|got)$/.test(e.subpath));
    const code = `${subpaths.map((e, i) => `import type * as m${i} from '${e.subpath}';`).join('\n')}
import { sign, createVerifier } from 'oauth1';
export type All = [${subpaths.map((_, i) => `typeof m${i}`).join(', ')}];
const signed = sign({ method: 'GET', url: 'https://api.example.com/' }, { client: { key: 'k', secret: 's' } });
export const init: RequestInit = { method: signed.method, headers: signed.headers, body: signed.body };
export const verifier = createVerifier({ lookupClient: () => ({ secret: 's' }) });
`;
    const options = { strict: true, exactOptionalPropertyTypes: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, skipLibCheck: false };
    const out = await typeCheck('no-node-types', 'module', options, { 'app.ts': code }, ['--listFiles']);
    expect(out.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
    expect(out).toContain('node_modules/oauth1/dist/index.d.ts');
    expect(out.split('\n').filter((f) => f.includes('@types/node'))).toEqual([]);
  }, 120_000);

  it("an app's registered result type (OAuthRegister) types req.oauth, request.oauth and ctx.state.oauth", async () => {
    const code = `import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { createLtiLaunchVerifier, type LtiLaunch } from 'oauth1';
import { expressMiddleware } from 'oauth1/express';
import { fastifyOAuth1 } from 'oauth1/fastify';
import { koaMiddleware } from 'oauth1/koa';

declare module 'oauth1/express' {
  interface OAuthRegister { result: LtiLaunch }
}

const verifier = createLtiLaunchVerifier({ lookupConsumer: () => ({ secret: 's' }) });
const app = express();
app.use(expressMiddleware(verifier));
app.post('/launch', (req, res) => {
  const launch: LtiLaunch | undefined = req.oauth;
  res.send(launch?.launch['resource_link_id']);
  // @ts-expect-error the registered result is a launch, not a string
  const wrong: string | undefined = req.oauth;
  void wrong;
});
const fastify = Fastify();
void fastify.register(fastifyOAuth1, { verifier });
fastify.post('/launch', async (request) => request.oauth.launch['resource_link_id']);
const koa = new Koa();
koa.use(koaMiddleware(verifier));
koa.use((ctx) => { ctx.body = ctx.state.oauth?.launch['resource_link_id']; });
`;
    const errors = await typeCheck('registry', 'module', { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' }, { 'app.ts': code });
    expect(errors.trim()).toBe('');
  }, 120_000);
});

describe('the block helpers', () => {
  it('finds ```ts blocks with their line, and leaves out ```ts ignore', () => {
    const dir = join(work, 'md');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.md'), 'a\n```ts\nconst a = 1;\n```\n```ts ignore\nnot checked\n```\n```sh\nls\n```\n');
    expect(tsBlocks(relative(root, join(dir, 'x.md')))).toEqual([{ where: `${relative(root, join(dir, 'x.md'))}:2`, code: 'const a = 1;' }]);
  });

  it('moves top-level await of a CommonJS block into an async function, imports and declarations left on top', () => {
    const out = asCommonJs("import { a } from 'a';\ndeclare const b: number;\nconst c = await a(b);\nexport type T = 1;");
    expect(out).toMatch(/^import \{ a \} from 'a';\ndeclare const b: number;\nexport type T = 1;\nvoid \(async \(\) => \{\nconst c = await a\(b\);\n\}\)\(\);/);
    expect(asCommonJs('const f = async () => await g();')).toBe('const f = async () => await g();');
  });
});
