/**
 * The conformance runner: drives any command that speaks the conformance
 * protocol over the signing vectors and reports, per vector, pass / fail /
 * skip / error.
 * @module
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAuthorizationHeader } from '../core/header.js';
import type { ConformanceRequest, ConformanceResult } from './protocol.js';

/** One signing vector (see vectors/README.md). @group Conformance */
export interface SigningVector {
  id: string;
  description: string;
  source: string;
  flags?: string[];
  input: ConformanceRequest;
  expected: { base_string?: string; signature?: string; authorization?: string; error?: string };
  result: 'valid' | 'invalid' | 'acceptable';
}

/** The outcome of one vector. @group Conformance */
export interface VectorOutcome {
  id: string;
  status: 'pass' | 'fail' | 'skip' | 'error';
  detail: string;
}

/** Reads every `kind: "sign"` vector of a directory, in file then file order. @group Conformance */
export function loadSigningVectors(dir: string): Array<SigningVector & { file: string }> {
  const out: Array<SigningVector & { file: string }> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort()) {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { kind?: string; vectors?: SigningVector[] };
    if (data.kind !== 'sign' || !Array.isArray(data.vectors)) continue;
    for (const v of data.vectors) out.push({ ...v, file });
  }
  return out;
}

function authorizationSet(header: string): string | null {
  try {
    const parsed = parseAuthorizationHeader(header);
    if (parsed === null) return null;
    return JSON.stringify([parsed.realm ?? null, parsed.params.map(([n, v]) => `${n}=${v}`).sort()]);
  } catch {
    return null;
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 20);
  return `first difference at character ${i}: expected …${b.slice(from, i + 30)}… got …${a.slice(from, i + 30)}…`;
}

/** Judges one adapter result against its vector. @group Conformance */
export function judge(vector: SigningVector, result: ConformanceResult | undefined, problem?: string): VectorOutcome {
  const { id } = vector;
  if (problem !== undefined || result === undefined) return { id, status: 'error', detail: problem ?? 'no result' };
  if (result.unsupported === true) return { id, status: 'skip', detail: `${vector.input.signature_method} is not supported by the implementation` };
  const refused = typeof result.error === 'string' || (result.signature == null && result.base_string == null);
  if (vector.result === 'invalid') {
    return refused
      ? { id, status: 'pass', detail: `refused as expected: ${result.error ?? 'no signature'}` }
      : { id, status: 'fail', detail: `signed an input that must be refused (${vector.expected.error ?? 'invalid'})` };
  }
  if (refused) {
    return vector.result === 'acceptable'
      ? { id, status: 'pass', detail: `refused, which this vector allows: ${result.error ?? ''}` }
      : { id, status: 'error', detail: `the implementation refused a valid input: ${result.error ?? 'no signature'}` };
  }
  const problems: string[] = [];
  if (vector.expected.base_string !== undefined && result.base_string != null && result.base_string !== vector.expected.base_string) {
    problems.push(`base string differs (${firstDifference(result.base_string, vector.expected.base_string)})`);
  }
  if (result.signature !== vector.expected.signature) {
    problems.push(`signature ${JSON.stringify(result.signature)} ≠ expected ${JSON.stringify(vector.expected.signature)}`);
  }
  if (vector.expected.authorization !== undefined && result.authorization != null) {
    if (authorizationSet(result.authorization) !== authorizationSet(vector.expected.authorization)) {
      problems.push('Authorization header parameters differ');
    }
  }
  return problems.length ? { id, status: 'fail', detail: problems.join('; ') } : { id, status: 'pass', detail: 'base string and signature match' };
}

/** Runs one request through a shell command that speaks the protocol. */
function exec(command: string, request: ConformanceRequest, timeoutMs: number): Promise<{ result?: ConformanceResult; problem?: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ problem: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ problem: `could not run the command: ${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = stdout.trim();
      try {
        resolve({ result: JSON.parse(text.slice(text.lastIndexOf('\n{') + 1 || 0)) as ConformanceResult });
      } catch {
        resolve({ problem: `exit code ${code}, no JSON on stdout${stderr ? `: ${stderr.trim().slice(0, 200)}` : ''}` });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}

/** Options of {@link runConformance}. @group Conformance */
export interface ConformanceOptions {
  /** Shell command that reads one request on stdin and prints one result. */
  exec: string;
  /** Directory of vector files. */
  vectorsDir: string;
  /** Keep vectors whose id or file name contains this text (or matches it as a /regex/). */
  filter?: string | undefined;
  /** Commands run at once. Default 4. */
  concurrency?: number;
  /** Per-vector time limit. Default 20 s. */
  timeoutMs?: number;
  /** Called as each vector finishes, in vector order. */
  onResult?: (outcome: VectorOutcome, vector: SigningVector & { file: string }) => void;
}

function matcher(filter: string | undefined): (v: { id: string; file: string }) => boolean {
  if (!filter) return () => true;
  const re = /^\/(.*)\/([a-z]*)$/.exec(filter);
  if (re) {
    const rx = new RegExp(re[1] ?? '', re[2]);
    return (v) => rx.test(v.id) || rx.test(v.file);
  }
  return (v) => v.id.includes(filter) || v.file.includes(filter);
}

/** Runs the signing vectors through a command; resolves with every outcome. @group Conformance */
export async function runConformance(opts: ConformanceOptions): Promise<VectorOutcome[]> {
  const vectors = loadSigningVectors(opts.vectorsDir).filter(matcher(opts.filter));
  const outcomes: Array<VectorOutcome | undefined> = new Array(vectors.length);
  let next = 0;
  let reported = 0;
  // Results are reported in vector order, as soon as every earlier one is in.
  const report = (): void => {
    for (;;) {
      const outcome = outcomes[reported];
      const vector = vectors[reported];
      if (outcome === undefined || vector === undefined) return;
      opts.onResult?.(outcome, vector);
      reported++;
    }
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const v = vectors[i];
      if (v === undefined) return;
      const { result, problem } = await exec(opts.exec, v.input, opts.timeoutMs ?? 20_000);
      outcomes[i] = judge(v, result, problem);
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, vectors.length)) }, worker));
  return outcomes as VectorOutcome[];
}
