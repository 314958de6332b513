// The README's main-job command: the demo must run on its own and report every step as expected.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('runs the three-legged flow, the protected calls and the refusals, and exits 0', () => {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/demo.mjs', import.meta.url))], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const steps = /(\d+) of (\d+) steps behaved as expected/.exec(r.stdout);
    expect(steps).not.toBeNull();
    expect(steps![1]).toBe(steps![2]);
    expect(Number(steps![2])).toBeGreaterThanOrEqual(12);
    for (const text of ['RSA-SHA1', 'HMAC-SHA256', '401 nonce_used', '401 signature_invalid', '400 signature_method_rejected', '401 token_revoked']) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).not.toMatch(/^FAIL/m);
  }, 120_000);
});
