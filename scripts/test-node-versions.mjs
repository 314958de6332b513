// Runs the test suite on the other Node.js majors the package supports
// (22 and 24; `npm test` runs it on the Node that runs npm, 20 in CI). The
// binaries come from npm (`npx -y node@<major>`). Types are checked once, by
// `npm test`: here the runs are about the runtime. Expects a build (dist/)
// from `npm run build`; extra arguments go to vitest (e.g. a test file), with
// `{major}` replaced by the version (for per-version report files).
//
//   npm run test:node-versions [-- test/adapters]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const majors = (process.env.OAUTH1_NODE_VERSIONS ?? '22,24').split(',').map((v) => v.trim()).filter(Boolean);
const extra = process.argv.slice(2);
const results = [];
for (const major of majors) {
  const started = Date.now();
  const args = extra.map((a) => a.replaceAll('{major}', major));
  const run = spawnSync('npx', ['-y', `node@${major}`, 'node_modules/vitest/vitest.mjs', 'run', '--typecheck.enabled=false', ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  results.push({ major, status: run.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) });
}
for (const r of results) console.log(`node@${r.major}: ${r.status === 0 ? 'passed' : `failed (exit ${r.status})`} in ${r.seconds} s`);
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
