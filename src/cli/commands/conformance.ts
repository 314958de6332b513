/**
 * `oauth1 conformance`: drives a protocol-speaking command over the vectors.
 * @module
 * @internal
 */
import { fileURLToPath } from 'node:url';
import { runConformance, type VectorOutcome } from '../../conformance/runner.js';
import { UsageError, type Values } from '../args.js';

export async function runConformanceCommand(values: Values): Promise<number> {
  if (!values.exec) throw new UsageError('--exec "<command>" is required');
  const vectorsDir = values.vectors ?? fileURLToPath(new URL('../../vectors/', import.meta.url));
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency expects a positive integer');
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  const mark = { pass: 'PASS ', fail: 'FAIL ', skip: 'SKIP ', error: 'ERROR' } as const;
  let lastFile = '';
  const outcomes: VectorOutcome[] = await runConformance({
    exec: values.exec,
    vectorsDir,
    filter: values.filter,
    concurrency,
    onResult: (o, v) => {
      counts[o.status]++;
      if (values.json) {
        process.stdout.write(`${JSON.stringify(o)}\n`);
        return;
      }
      if (v.file !== lastFile) process.stdout.write(`\n${v.file}\n`);
      lastFile = v.file;
      process.stdout.write(`  ${mark[o.status]} ${o.id}${o.status === 'pass' ? '' : `  — ${o.detail}`}\n`);
    },
  });
  const summary = `${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors (${outcomes.length} vectors)`;
  if (values.json) process.stderr.write(`${summary}\n`);
  else process.stdout.write(`\n${summary}\n`);
  if (outcomes.length === 0) {
    process.stderr.write('oauth1: no vector matched\n');
    return 1;
  }
  return counts.fail + counts.error > 0 ? 1 : 0;
}

