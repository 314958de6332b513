/**
 * Runs one probe module in real JavaScript runtimes: Node, workerd (through
 * miniflare), Vercel's edge-runtime, Deno, Bun and headless Chromium.
 *
 * A probe is an ES module whose default export is `async (input) => result`;
 * `input` and `result` are JSON. The harness bundles it with esbuild for the
 * runtime's export conditions (as that runtime's own toolchain would: wrangler
 * for workerd, Next.js for edge-light, a browser bundler) or, for runtimes that
 * resolve packages themselves (Node, Deno, Bun), runs it unbundled from a
 * project directory where `oauth1` is installed, so the runtime picks the
 * build by its own conditions.
 *
 * Each runtime first says whether it can start here at all; a runtime that
 * cannot is reported with the reason (and fails instead when
 * OAUTH1_REQUIRE_RUNTIMES=1, as CI sets it).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Pinned versions of the runtimes that come from npm at test time (versions.json; .ci/run fetches the same). */
const VERSIONS = JSON.parse(readFileSync(new URL('./versions.json', import.meta.url), 'utf8')) as { deno: string; bun: string };
export const DENO = `deno@${VERSIONS.deno}`;
export const BUN = `bun@${VERSIONS.bun}`;
/** Debian's chromium; another path with OAUTH1_CHROMIUM (never a browser download). */
export const CHROMIUM = process.env['OAUTH1_CHROMIUM'] ?? '/usr/bin/chromium';
/** Flags for Debian's chromium: headless, no sandbox (containers), nothing that calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ProbeRun {
  /** What the probe returned. */
  output: unknown;
  /** What the runtime says it is (name and version, as seen from inside). */
  runtime: string;
}

export interface Runtime {
  name: string;
  /** The export conditions the runtime (or its usual bundler) resolves with, in priority order. */
  conditions: string[];
  /** Undefined when the runtime starts here; otherwise why it cannot. */
  unavailable(): Promise<string | undefined>;
  run(entry: string, input: unknown): Promise<ProbeRun>;
}

/** Identifies the runtime from inside; prepended to every probe. */
const WHO = `function __who() {
  if (typeof Deno !== 'undefined') return 'deno ' + Deno.version.deno + ' (V8 ' + Deno.version.v8 + ')';
  if (typeof Bun !== 'undefined') return 'bun ' + Bun.version;
  if (typeof EdgeRuntime === 'string') return 'edge-runtime (' + EdgeRuntime + ')';
  if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') return 'workerd (Cloudflare-Workers)';
  if (typeof process !== 'undefined' && process.versions && process.versions.node) return 'node ' + process.version;
  return typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown';
}`;

function exec(command: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A directory laid out like a user's project, with this repository installed as `oauth1`. */
let project: string | undefined;
export function projectDir(): string {
  if (project === undefined) {
    project = mkdtempSync(join(tmpdir(), 'oauth1-runtimes-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'oauth1'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe-app', private: true, type: 'module', dependencies: { oauth1: '*' } }));
  }
  return project;
}

/** Removes the project directory (call it from afterAll). */
export function removeProjectDir(): void {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
  project = undefined;
}

/**
 * Where a probe is imported from: a JS probe is copied into the project, so
 * that `import 'oauth1'` resolves through the project's node_modules as in a
 * user's code; a TypeScript probe (one that imports src/) stays where it is.
 */
function placed(entry: string): string {
  if (entry.endsWith('.ts')) return entry;
  const copy = join(projectDir(), basename(entry));
  copyFileSync(entry, copy);
  return copy;
}

/** Bundles `entry` and a wrapper that calls it, for a runtime's conditions. */
async function bundle(entry: string, input: unknown, conditions: string[], format: 'esm' | 'iife', wrapper: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    stdin: {
      contents: `import __probe from ${JSON.stringify(placed(entry))};\n${WHO}\nconst __input = ${JSON.stringify(input)};\n${wrapper}`,
      resolveDir: projectDir(),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions,
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** The line the spawned wrappers print, found among whatever else the runtime printed. */
function parseResult(stdout: string, stderr: string, name: string): ProbeRun {
  const line = stdout.split('\n').find((l) => l.startsWith('{"__probe":'));
  if (line === undefined) throw new Error(`${name} printed no result.\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`);
  const parsed = JSON.parse(line) as { __probe: ProbeRun | { error: string } };
  if ('error' in parsed.__probe) throw new Error(`${name}: the probe threw: ${parsed.__probe.error}`);
  return parsed.__probe;
}

const PRINT = `try { console.log(JSON.stringify({ __probe: { runtime: __who(), output: await __probe(__input) } })); }
catch (e) { console.log(JSON.stringify({ __probe: { error: String(e && e.stack || e) } })); }`;

/** Node, Deno and Bun resolve `oauth1` themselves from the project directory. */
function spawned(name: string, conditions: string[], command: () => [string, string[]], versionArgs: string[]): Runtime {
  return {
    name,
    conditions,
    async unavailable() {
      const [cmd, args] = command();
      try {
        const r = await exec(cmd, [...args, ...versionArgs], { timeout: 180_000 });
        return r.code === 0 ? undefined : `${cmd} ${[...args, ...versionArgs].join(' ')} exited with ${r.code}: ${r.stderr.trim().slice(0, 300)}`;
      } catch (err) {
        return `${cmd} could not be started: ${(err as Error).message}`;
      }
    },
    async run(entry, input) {
      const dir = projectDir();
      const main = join(dir, `main-${name.replace(/[^a-z]+/g, '-')}-${process.pid}.mjs`);
      // A TypeScript probe (one that imports src/) is bundled first; a JS probe
      // is imported as it is, so the runtime resolves `oauth1` itself.
      writeFileSync(
        main,
        entry.endsWith('.ts')
          ? await bundle(entry, input, conditions, 'esm', PRINT)
          : `import __probe from ${JSON.stringify(placed(entry))};\n${WHO}\nconst __input = ${JSON.stringify(input)};\n${PRINT}\n`,
      );
      const [cmd, args] = command();
      const r = await exec(cmd, [...args, main], { cwd: dir });
      return parseResult(r.stdout, r.stderr, name);
    },
  };
}

export const node: Runtime = spawned('node', ['node', 'import'], () => [process.execPath, []], ['--version']);

// Deno reads the project's package.json and node_modules ("bring your own
// node_modules"); the probe needs no permission.
export const deno: Runtime = spawned('deno', ['deno', 'node', 'import'], () => ['npx', ['-y', DENO, 'run', '--quiet', '--no-prompt', '--no-lock']], ['--version']);

export const bun: Runtime = spawned('bun', ['bun', 'node', 'import'], () => ['npx', ['-y', BUN]], ['--version']);

// Node and Bun pick the Node build; told the "worker" condition, they load the
// web build, which then runs on their WebCrypto.
export const nodeWeb: Runtime = spawned('node --conditions=worker', ['worker', 'node', 'import'], () => [process.execPath, ['--conditions=worker']], ['--version']);
export const bunWeb: Runtime = spawned('bun --conditions=worker', ['worker', 'bun', 'node', 'import'], () => ['npx', ['-y', BUN, '--conditions=worker']], ['--version']);

// wrangler bundles a Worker with the conditions workerd, worker, browser.
export const workerd: Runtime = {
  name: 'workerd',
  conditions: ['workerd', 'worker', 'browser', 'import'],
  async unavailable() {
    try {
      const { Miniflare } = await import('miniflare');
      const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response("ok") } }', compatibilityDate: '2026-04-01' });
      try {
        const r = await mf.dispatchFetch('http://probe.local/');
        return (await r.text()) === 'ok' ? undefined : 'workerd answered something else than "ok"';
      } finally {
        await mf.dispose();
      }
    } catch (err) {
      return `miniflare could not start workerd: ${(err as Error).message}`;
    }
  },
  async run(entry, input) {
    const script = await bundle(entry, input, this.conditions, 'esm', `export default { async fetch() {
  try { return Response.json({ __probe: { runtime: __who(), output: await __probe(__input) } }); }
  catch (e) { return Response.json({ __probe: { error: String(e && e.stack || e) } }); }
} };`);
    const { Miniflare } = await import('miniflare');
    const mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' });
    try {
      const r = await mf.dispatchFetch('http://probe.local/');
      const text = await r.text();
      return parseResult(text, '', 'workerd');
    } finally {
      await mf.dispose();
    }
  },
};

// Next.js and Vercel bundle edge functions with edge-light, worker, browser.
export const edgeRuntime: Runtime = {
  name: 'edge-runtime',
  conditions: ['edge-light', 'worker', 'browser', 'import'],
  async unavailable() {
    try {
      const { EdgeRuntime } = await import('edge-runtime');
      return new EdgeRuntime().evaluate('1 + 1') === 2 ? undefined : 'edge-runtime evaluated 1 + 1 wrongly';
    } catch (err) {
      return `edge-runtime could not start: ${(err as Error).message}`;
    }
  },
  async run(entry, input) {
    // The edge runtime evaluates scripts, not modules: an IIFE that leaves its promise in a global.
    const script = await bundle(entry, input, this.conditions, 'iife', `globalThis.__result = (async () => {
  try { return JSON.stringify({ __probe: { runtime: __who(), output: await __probe(__input) } }); }
  catch (e) { return JSON.stringify({ __probe: { error: String(e && e.stack || e) } }); }
})();`);
    const { EdgeRuntime } = await import('edge-runtime');
    const rt = new EdgeRuntime();
    rt.evaluate(script);
    const text = (await rt.evaluate('globalThis.__result')) as string;
    return parseResult(text, '', 'edge-runtime');
  },
};

/** Starts Debian's chromium with a fresh profile; the caller closes it. */
export async function launchChromium(): Promise<{ context: import('playwright-core').BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'oauth1-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Serves fixed files on 127.0.0.1 (a secure context: SubtleCrypto is there). */
export async function serve(files: Record<string, { type: string; body: string | Uint8Array }>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export const chromium: Runtime = {
  name: 'chromium',
  conditions: ['browser', 'import'],
  async unavailable() {
    if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (Debian: apt-get install -y --no-install-recommends chromium)`;
    try {
      const browser = await launchChromium();
      await browser.close();
      return undefined;
    } catch (err) {
      return `chromium could not start: ${(err as Error).message.split('\n')[0]}`;
    }
  },
  async run(entry, input) {
    const script = await bundle(entry, input, this.conditions, 'esm', `globalThis.__result = (async () => {
  try { return JSON.stringify({ __probe: { runtime: __who(), output: await __probe(__input) } }); }
  catch (e) { return JSON.stringify({ __probe: { error: String(e && e.stack || e) } }); }
})();`);
    const site = await serve({
      '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/probe.js"></script>' },
      '/probe.js': { type: 'text/javascript; charset=utf-8', body: script },
    });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${site.url}/`);
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 }).catch(() => {
        throw new Error(`chromium: the probe did not load: ${errors.join('; ')}`);
      });
      const text = await page.evaluate(() => (globalThis as unknown as { __result: Promise<string> }).__result);
      return parseResult(text, errors.join('\n'), 'chromium');
    } finally {
      await browser.close();
      await site.close();
    }
  },
};

export const RUNTIMES: Runtime[] = [node, nodeWeb, workerd, edgeRuntime, deno, bun, bunWeb, chromium];
