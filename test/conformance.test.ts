import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge, loadSigningVectors } from '../src/conformance/runner.js';

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const VECTORS = fileURLToPath(new URL('../vectors/', import.meta.url));
const node = JSON.stringify(process.execPath);

function conformance(exec: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'conformance', '--exec', exec, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('oauth1 conformance', { timeout: 120_000 }, () => {
  it('passes every signing vector against our own CLI', () => {
    const r = conformance(`${node} ${JSON.stringify(CLI)} sign --json`);
    const total = loadSigningVectors(VECTORS).length;
    expect(r.stdout).toContain(`${total} passed, 0 failed, 0 skipped, 0 errors (${total} vectors)`);
    expect(r.code).toBe(0);
  }, 120_000);

  it('prints one JSON result per vector with --json, and --filter selects', () => {
    const r = conformance(`${node} ${JSON.stringify(CLI)} sign --json`, '--json', '--filter', 'rfc5849');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['detail', 'id', 'status']);
      expect(line.status).toBe('pass');
    }
    const rx = conformance(`${node} ${JSON.stringify(CLI)} sign --json`, '--json', '--filter', '/^rfc5849-3-4-1-1/');
    expect(rx.stdout.trim().split('\n').length).toBeLessThan(lines.length);
  });

  it('fails, with exit code 1, an implementation that signs wrongly', () => {
    const wrong = `${node} -e "process.stdin.resume();process.stdin.on('end',()=>console.log(JSON.stringify({base_string:'x',signature:'y',authorization:null})))"`;
    const r = conformance(wrong, '--filter', 'rfc5849-3-4-1-1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}rfc5849-3-4-1-1/);
    expect(r.stdout).toMatch(/0 passed, \d+ failed/);
  });

  it('skips vectors whose method the implementation marks unsupported', () => {
    const none = `${node} -e "process.stdin.resume();process.stdin.on('end',()=>console.log(JSON.stringify({unsupported:true,base_string:null,signature:null,authorization:null})))"`;
    const r = conformance(none, '--filter', 'rfc5849', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').every((l) => JSON.parse(l).status === 'skip')).toBe(true);
  });

  it('reports a command that crashes as an error', () => {
    const r = conformance(`${node} -e "process.exit(3)"`, '--filter', 'rfc5849-1-2', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout.split('\n')[0]!)).toMatchObject({ status: 'error', detail: expect.stringContaining('exit code 3') });
  });
});

describe('judge', () => {
  const [v] = loadSigningVectors(VECTORS).filter((x) => x.result === 'valid');
  it('passes an exact match and fails any other signature', () => {
    expect(judge(v!, { base_string: v!.expected.base_string!, signature: v!.expected.signature!, authorization: null }).status).toBe('pass');
    expect(judge(v!, { base_string: v!.expected.base_string!, signature: 'AAAA', authorization: null }).status).toBe('fail');
  });
  it('passes a refusal of an invalid vector and fails a signature for it', () => {
    const bad = loadSigningVectors(VECTORS).find((x) => x.result === 'invalid')!;
    expect(judge(bad, { base_string: null, signature: null, authorization: null, error: 'malformed' }).status).toBe('pass');
    expect(judge(bad, { base_string: 'b', signature: 's', authorization: null }).status).toBe('fail');
  });
});

describe('docs/examples/conformance_adapter.py (the example in docs/conformance.md)', () => {
  it('passes every vector it does not mark unsupported', () => {
    const adapter = fileURLToPath(new URL('../docs/examples/conformance_adapter.py', import.meta.url));
    // The system python starts faster than a version-manager shim; any python3 ≥ 3.6 runs the example.
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const r = conformance(`${python} ${JSON.stringify(adapter)}`);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped, 0 errors/);
    expect(r.code).toBe(0);
    // docs/conformance.md quotes the summary this run prints: the page must not go stale.
    const SUMMARY = /^\d+ passed, \d+ failed, \d+ skipped, \d+ errors \(\d+ vectors\)$/m;
    const page = readFileSync(new URL('../docs/conformance.md', import.meta.url), 'utf8');
    expect(SUMMARY.exec(page)?.[0], 'update the summary line quoted in docs/conformance.md').toBe(SUMMARY.exec(r.stdout)?.[0]);
  }, 120_000);
});
