/**
 * The long run of every generated-request property (`npm run fuzz`): the
 * catalog of test/property/catalog.ts with tens of thousands of cases, one
 * long-running oauthlib process, and a report of the figures.
 *
 *   FUZZ_RUNS   cases in all, shared out by each property's weight (default 30000)
 *   FUZZ_SEED   the seed (default: random, printed so a run can be repeated)
 *   FUZZ_ONLY   comma-separated property ids to run (default: all)
 *
 * A property marked `openFinding` in the catalog is expected to fail until
 * its fix lands: it is reported as open, not as a failure (and reported if it
 * passes). Any other failure is printed with its shrunk counterexample and
 * seed, and fails the run. Not part of `npm test`: vitest's default include
 * (test/**\/*.test.ts) does not match this file; vitest.fuzz.config.ts does.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOauthlibWorker, type OauthlibWorker } from '../helpers/oauthlib-worker.js';
import { oauthlibStatus } from '../helpers/python.js';
import { CATALOG } from './catalog.js';
import { PropertyStats } from './harness.js';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 30_000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const ONLY = process.env['FUZZ_ONLY']?.split(',').map((s) => s.trim());
if (!Number.isSafeInteger(TOTAL) || TOTAL <= 0) throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env['FUZZ_RUNS']}`);
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env['FUZZ_SEED']}`);

const entries = CATALOG.filter((e) => ONLY === undefined || ONLY.includes(e.id));
const totalWeight = entries.reduce((sum, e) => sum + e.weight, 0);

interface Row {
  id: string;
  planned: number;
  runs: number;
  ms: number;
  result: 'pass' | 'FAIL' | 'open (fails as expected)' | 'open finding now passes' | 'skipped';
  detail: string;
}
const rows: Row[] = [];
const failures: string[] = [];
let worker: OauthlibWorker | undefined;
const oauthlib = oauthlibStatus();

beforeAll(() => {
  if (oauthlib.ok && entries.some((e) => e.oauthlib)) worker = startOauthlibWorker();
});

afterAll(async () => {
  await worker?.stop();
  const pad = (s: string | number, n: number): string => String(s).padEnd(n);
  const lines = [
    '',
    `fuzz: FUZZ_RUNS=${TOTAL} FUZZ_SEED=${SEED}${ONLY ? ` FUZZ_ONLY=${ONLY.join(',')}` : ''}; ${oauthlib.reason}; oauthlib calls ${worker?.calls ?? 0}`,
    `${pad('property', 22)}${pad('cases', 9)}${pad('time', 10)}result`,
    ...rows.map((r) => `${pad(r.id, 22)}${pad(r.runs, 9)}${pad(`${(r.ms / 1000).toFixed(1)}s`, 10)}${r.result}`),
    `total: ${rows.reduce((s, r) => s + r.runs, 0)} cases in ${(rows.reduce((s, r) => s + r.ms, 0) / 1000).toFixed(1)}s; ${failures.length} failing; ${rows.filter((r) => r.result.startsWith('open (')).length} open findings fail as expected`,
    '',
    ...rows.map((r) => `${r.id}: ${r.detail}`),
    ...failures.map((f) => `\nFAILURE ${f}`),
  ];
  console.log(lines.join('\n'));
});

it(`runs ${entries.length} properties over ${TOTAL} cases`, async () => {
  for (const [i, entry] of entries.entries()) {
    const planned = Math.max(10, Math.round((TOTAL * entry.weight) / totalWeight));
    if (entry.oauthlib && worker === undefined) {
      rows.push({ id: entry.id, planned, runs: 0, ms: 0, result: 'skipped', detail: oauthlib.reason });
      continue;
    }
    const stats = new PropertyStats();
    const started = performance.now();
    const open = entry.openFinding !== undefined;
    const details = await fc.check(entry.make({ worker: worker as OauthlibWorker, stats }), {
      numRuns: planned,
      seed: SEED + i,
      // An open finding is known to fail: stop at the first failure instead of shrinking.
      endOnFailure: open,
    });
    const ms = performance.now() - started;
    const result: Row['result'] = details.failed ? (open ? 'open (fails as expected)' : 'FAIL') : open ? 'open finding now passes' : 'pass';
    const runs = details.failed ? details.numRuns : planned;
    rows.push({ id: entry.id, planned, runs, ms, result, detail: stats.summary() });
    if (details.failed && !open) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      failures.push(`${entry.id} (seed ${SEED + i}):\n${fc.defaultReportMessage(details) ?? ''}\nCause: ${cause}`);
    }
    console.log(`[fuzz] ${entry.id}: ${result}, ${runs} cases in ${(ms / 1000).toFixed(1)}s`);
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
});
