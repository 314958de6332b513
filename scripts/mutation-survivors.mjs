#!/usr/bin/env node
// Lists the mutants no test killed, from a Stryker JSON report (npm run
// mutation writes reports/mutation/mutation.json), one line each:
//
//   line:column [NOCOV] Mutator => replacement   | the source line
//
// NOCOV: no test runs that code at all. Then a score per file, as Stryker
// counts it: (killed + timed out) / (killed + timed out + survived + no coverage).
//
//   node scripts/mutation-survivors.mjs [report.json] [path filter] [--no-strings] [--summary]
//
// --no-strings leaves out StringLiteral mutants (mostly messages); --summary
// prints only the scores.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [reportPath = 'reports/mutation/mutation.json', filter = ''] = args.filter((a) => !a.startsWith('--'));
if (flags.has('--help')) {
  console.log('usage: node scripts/mutation-survivors.mjs [report.json] [path filter] [--no-strings] [--summary]');
  process.exit(0);
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const alive = (m) => m.status === 'Survived' || m.status === 'NoCoverage';
const counted = (m) => !(flags.has('--no-strings') && m.mutatorName === 'StringLiteral');
const score = (mutants) => {
  const detected = mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  const valid = detected + mutants.filter(alive).length;
  return { detected, valid, percent: valid === 0 ? NaN : (100 * detected) / valid };
};

const rows = [];
for (const [file, data] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  if (!file.includes(filter)) continue;
  const mutants = data.mutants.filter(counted);
  rows.push([file, score(mutants)]);
  if (flags.has('--summary')) continue;
  const survivors = mutants.filter(alive).sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  if (survivors.length === 0) continue;
  const lines = data.source.split('\n');
  console.log(`\n=== ${file} (${survivors.length})`);
  for (const m of survivors) {
    const { line, column } = m.location.start;
    const source = (lines[line - 1] ?? '').trim().slice(0, 110);
    const replacement = JSON.stringify(m.replacement ?? '').slice(0, 70);
    console.log(`${line}:${column} ${m.status === 'NoCoverage' ? 'NOCOV ' : ''}${m.mutatorName} => ${replacement}   | ${source}`);
  }
}

console.log('\nscore  detected/valid  file');
let all = { detected: 0, valid: 0 };
for (const [file, s] of rows) {
  all = { detected: all.detected + s.detected, valid: all.valid + s.valid };
  console.log(`${Number.isNaN(s.percent) ? '  n/a' : s.percent.toFixed(1).padStart(5)}  ${`${s.detected}/${s.valid}`.padStart(14)}  ${file}`);
}
if (all.valid > 0) console.log(`${((100 * all.detected) / all.valid).toFixed(1).padStart(5)}  ${`${all.detected}/${all.valid}`.padStart(14)}  all of the above`);
