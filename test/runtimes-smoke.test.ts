/**
 * The packed package on Bun and Deno (both from npm: `npx -y bun`,
 * `npx -y deno`): test/runtimes/smoke.mjs loads every subpath, checks RFC
 * 5849's example signature, verifies a signed request and refuses a replay
 * and a tampered one. Node runs the same script first, as the reference.
 * Outside CI a runtime that cannot be fetched is skipped, and says why; in
 * CI it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryEntries } from '../scripts/entries.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.tmp', 'runtimes-smoke');
const subpaths = JSON.stringify(libraryEntries.map((e) => e.subpath));

const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath, 'smoke.mjs', subpaths],
  bun: ['npx', '-y', 'bun', 'smoke.mjs', subpaths],
  deno: ['npx', '-y', 'deno', 'run', '--allow-read', '--allow-env', 'smoke.mjs', subpaths],
};

function available(name: string): { skip: boolean; reason: string } {
  if (name === 'node') return { skip: false, reason: process.version };
  const probe = spawnSync('npx', ['-y', name, '--version'], { encoding: 'utf8', timeout: 180_000 });
  if (probe.status === 0) return { skip: false, reason: probe.stdout.trim().split('\n')[0] ?? name };
  return { skip: !process.env['CI'], reason: `npx -y ${name} failed: ${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()}` };
}

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  const pkg = join(dir, 'node_modules', 'oauth1');
  mkdirSync(pkg, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  execFileSync('tar', ['-xzf', join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]?.filename ?? ''), '-C', pkg, '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
  copyFileSync(join(root, 'test', 'runtimes', 'smoke.mjs'), join(dir, 'smoke.mjs'));
}, 60_000);

describe.each(Object.keys(RUNTIMES))('the packed package on %s', (name) => {
  const gate = available(name);
  it.skipIf(gate.skip)(`loads every subpath, signs, verifies, refuses a replay and a tampered request (${gate.reason})`, () => {
    const [cmd, ...args] = RUNTIMES[name] ?? [];
    const run = spawnSync(cmd ?? '', args, { cwd: dir, encoding: 'utf8', timeout: 180_000 });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const result = JSON.parse(line) as { ok: boolean; loaded: number; checks: string[] };
    expect(result).toMatchObject({ ok: true, loaded: libraryEntries.length, checks: ['rfc5849-signature', 'verify', 'replay-refused', 'tampered-refused'] });
  }, 200_000);
});
