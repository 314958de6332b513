/**
 * `oauth1 conformance`: drives a protocol-speaking command over the vectors.
 * @module
 * @internal
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runConformance, type VectorOutcome } from '../../conformance/runner.js';
import { UsageError, flag, str, type Values } from '../args.js';

function vectorsDirOf(values: Values): string {
  const given = str(values, 'vectors');
  const dir = given ?? fileURLToPath(new URL('../../vectors/', import.meta.url));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(given === undefined ? `the package's vectors/ directory is missing (${dir}); give --vectors DIR` : `--vectors: "${given}" is not a directory`, 'conformance');
  return dir;
}

function concurrencyOf(values: Values): number {
  const given = str(values, 'concurrency');
  if (given === undefined) return 4;
  if (!/^[1-9][0-9]{0,3}$/.test(given)) throw new UsageError(`--concurrency must be a positive whole number (got "${given}")`, 'conformance');
  return Number(given);
}

export async function runConformanceCommand(values: Values): Promise<number> {
  const exec = str(values, 'exec');
  if (!exec) throw new UsageError('--exec "<command>" is required', 'conformance');
  const vectorsDir = vectorsDirOf(values);
  const concurrency = concurrencyOf(values);
  const json = flag(values, 'json');
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  const mark = { pass: 'PASS ', fail: 'FAIL ', skip: 'SKIP ', error: 'ERROR' } as const;
  let lastFile = '';
  const outcomes: VectorOutcome[] = await runConformance({
    exec,
    vectorsDir,
    filter: str(values, 'filter'),
    concurrency,
    onResult: (o, v) => {
      counts[o.status]++;
      if (json) {
        process.stdout.write(`${JSON.stringify(o)}\n`);
        return;
      }
      if (v.file !== lastFile) process.stdout.write(`\n${v.file}\n`);
      lastFile = v.file;
      process.stdout.write(`  ${mark[o.status]} ${o.id}${o.status === 'pass' ? '' : `  — ${o.detail}`}\n`);
    },
  });
  const summary = `${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors (${outcomes.length} vectors)`;
  if (json) process.stderr.write(`${summary}\n`);
  else process.stdout.write(`\n${summary}\n`);
  if (outcomes.length === 0) {
    process.stderr.write('oauth1: no vector matched\n');
    return 1;
  }
  return counts.fail + counts.error > 0 ? 1 : 0;
}
