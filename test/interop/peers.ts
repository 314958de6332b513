/**
 * Independent OAuth 1.0 implementations ("peers") driven through the
 * conformance protocol (DESIGN.md), and the comparison of their output with
 * the signing vectors (vectors/README.md, "Running the vectors").
 *
 * Every peer is a Debian package and an adapter in this directory that reads
 * one protocol request on stdin and prints one result. For speed, the matrix
 * runs each adapter once with `--jsonl` (one request per line, one result per
 * line, the same code per line) and falls back to one process per vector for
 * any line that did not come back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../helpers/python.js';

export const INTEROP_DIR = fileURLToPath(new URL('./', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VECTORS_DIR = join(ROOT, 'vectors');
export const LIBOAUTH_BINARY = join(ROOT, '.tmp', 'interop', 'liboauth_sign');

export interface Peer {
  id: string;
  /** Human name with the library it drives. */
  name: string;
  /** The Debian packages a fresh machine needs for this peer. */
  packages: string[];
  /** The packages whose versions the matrix records. */
  versionPackages: string[];
  /** argv of one adapter run (single request on stdin). */
  command(): string[];
  /** argv of a run over many requests, one per line; undefined: none. */
  batchCommand(): string[] | undefined;
  /** Checks (and builds, for liboauth) the toolchain; `ok: false` with the reason when missing. */
  prepare(): { ok: boolean; reason: string };
}

function run(cmd: string, args: string[], timeout = 60_000) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout });
}

function probe(cmd: string, args: string[], what: string, packages: string[]): { ok: boolean; reason: string } {
  const r = run(cmd, args);
  if (r.status === 0) return { ok: true, reason: (r.stdout || '').trim() || what };
  const why = r.error?.message ?? (r.stderr || r.stdout || '').trim().split('\n').pop() ?? 'unknown error';
  return { ok: false, reason: `${what} is not usable (${why}); install the Debian packages: apt-get install -y ${packages.join(' ')}` };
}

export const PEERS: Peer[] = [
  {
    id: 'python3-oauthlib',
    name: 'python3-oauthlib (oauthlib Client)',
    packages: ['python3', 'python3-oauthlib', 'python3-cryptography', 'python3-jwt'],
    versionPackages: ['python3-oauthlib'],
    command: () => [PYTHON, join(INTEROP_DIR, 'oauthlib_sign.py')],
    batchCommand: () => [PYTHON, join(INTEROP_DIR, 'oauthlib_batch.py')],
    prepare() {
      return probe(PYTHON, ['-c', 'import oauthlib, cryptography, jwt; print("oauthlib", oauthlib.__version__)'], 'oauthlib', this.packages);
    },
  },
  {
    id: 'liboauth',
    name: 'liboauth (C)',
    packages: ['gcc', 'libc6-dev', 'pkg-config', 'liboauth-dev', 'libjson-c-dev'],
    versionPackages: ['liboauth-dev', 'libjson-c-dev'],
    command: () => [LIBOAUTH_BINARY],
    batchCommand: () => [LIBOAUTH_BINARY, '--jsonl'],
    prepare() {
      const build = run('sh', [join(INTEROP_DIR, 'build-liboauth.sh'), LIBOAUTH_BINARY], 120_000);
      if (build.status === 0 && existsSync(LIBOAUTH_BINARY)) return { ok: true, reason: 'liboauth adapter built' };
      const why = build.error?.message ?? (build.stderr || build.stdout || '').trim().split('\n').slice(-3).join(' | ');
      return {
        ok: false,
        reason: `cannot build test/interop/liboauth_sign.c (${why}); install the Debian packages: apt-get install -y ${this.packages.join(' ')}`,
      };
    },
  },
  {
    id: 'pecl-oauth',
    name: 'PECL oauth (PHP OAuth class)',
    packages: ['php-cli', 'php-oauth'],
    versionPackages: ['php-oauth', 'php-cli'],
    command: () => ['php', join(INTEROP_DIR, 'pecl_sign.php')],
    batchCommand: () => ['php', join(INTEROP_DIR, 'pecl_sign.php'), '--jsonl'],
    prepare() {
      return probe('php', ['-r', 'if (!class_exists("OAuth")) { fwrite(STDERR, "no OAuth class\\n"); exit(1); } echo "oauth ", phpversion("oauth");'], 'php with the oauth extension', this.packages);
    },
  },
  {
    id: 'perl-net-oauth',
    name: 'Net::OAuth (Perl)',
    packages: ['perl', 'libnet-oauth-perl', 'libcrypt-openssl-rsa-perl'],
    versionPackages: ['libnet-oauth-perl'],
    command: () => ['perl', join(INTEROP_DIR, 'perl_sign.pl')],
    batchCommand: () => ['perl', join(INTEROP_DIR, 'perl_sign.pl'), '--jsonl'],
    prepare() {
      return probe('perl', ['-MNet::OAuth', '-MCrypt::OpenSSL::RSA', '-MJSON::PP', '-e', 'print "Net::OAuth $Net::OAuth::VERSION"'], 'Net::OAuth', this.packages);
    },
  },
  {
    id: 'ruby-oauth',
    name: 'ruby-oauth (oauth gem)',
    packages: ['ruby', 'ruby-oauth'],
    versionPackages: ['ruby-oauth'],
    command: () => ['ruby', join(INTEROP_DIR, 'ruby_sign.rb')],
    batchCommand: () => ['ruby', join(INTEROP_DIR, 'ruby_sign.rb'), '--jsonl'],
    prepare() {
      return probe('ruby', ['-e', 'require "oauth"; print "oauth gem ", OAuth::VERSION'], 'the oauth gem', this.packages);
    },
  },
];

/** The versions of Debian packages, as dpkg-query reports them (missing ones omitted). */
export function packageVersions(packages: string[]): Record<string, string> {
  const r = run('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', ...packages]);
  const out: Record<string, string> = {};
  for (const line of (r.stdout || '').split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (name && version) out[name.replace(/:.*$/, '')] = version;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Vectors

export interface SignVector {
  id: string;
  file: string;
  description: string;
  source: string;
  flags: string[];
  input: Record<string, unknown>;
  expected: { base_string?: string; signature?: string; authorization?: string; error?: string };
  result: 'valid' | 'invalid' | 'acceptable';
  notes?: string;
}

/** Every vector of kind "sign" in vectors/*.json, file by file in name order. */
export function loadSignVectors(): SignVector[] {
  const out: SignVector[] = [];
  for (const file of readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort()) {
    const data = JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as { kind?: string; vectors?: Array<Omit<SignVector, 'file'>> };
    if (data.kind !== 'sign') continue;
    for (const v of data.vectors ?? []) out.push({ ...v, flags: v.flags ?? [], file });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Running an adapter

export interface AdapterOutput {
  base_string?: string | null;
  signature?: string | null;
  authorization?: string | null;
  error?: string;
  unsupported?: boolean;
  reason?: string;
  note?: string;
}

/** What one adapter run gave: parsed output, or why there is none (a crash). */
export type RunOutcome = { ok: true; output: AdapterOutput } | { ok: false; crash: string };

function parseOutput(text: string): RunOutcome {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, crash: `printed ${text.slice(0, 200)}` };
    return { ok: true, output: value as AdapterOutput };
  } catch {
    return { ok: false, crash: `printed something that is not JSON: ${text.slice(0, 200)}` };
  }
}

/** One process, one request on stdin: the protocol as DESIGN.md states it. */
export function runSingle(peer: Peer, input: unknown): RunOutcome {
  const [cmd, ...args] = peer.command();
  const r = spawnSync(cmd!, args, { input: JSON.stringify(input), encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { ok: false, crash: r.error.message };
  if (r.status !== 0) return { ok: false, crash: `exited with ${r.status ?? r.signal}: ${(r.stderr || '').trim().slice(0, 300)}` };
  return parseOutput(r.stdout.trim());
}

/** All inputs through one batch run; lines that did not come back are run one by one. */
export function runAll(peer: Peer, inputs: unknown[]): RunOutcome[] {
  const outcomes: Array<RunOutcome | undefined> = new Array(inputs.length);
  const batch = peer.batchCommand();
  if (batch) {
    const [cmd, ...args] = batch;
    const r = spawnSync(cmd!, args, {
      input: inputs.map((i) => JSON.stringify(i)).join('\n') + '\n',
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = (r.stdout || '').split('\n').filter((l) => l.trim() !== '');
    // Trust the batch only line by line, and only if it ended normally or printed every line.
    const complete = r.status === 0 && lines.length === inputs.length;
    lines.slice(0, inputs.length).forEach((line, i) => {
      const parsed = parseOutput(line);
      if (parsed.ok || complete) outcomes[i] = parsed;
    });
    if (!complete) {
      // A crash part-way: the last line printed may be the one before the crash; rerun from there.
      for (let i = Math.max(0, lines.length - 1); i < inputs.length; i++) outcomes[i] = undefined;
    }
  }
  return inputs.map((input, i) => outcomes[i] ?? runSingle(peer, input));
}

// ---------------------------------------------------------------------------
// Comparison (vectors/README.md, "Running the vectors")

export type Status = 'pass' | 'fail' | 'unsupported' | 'error' | 'acceptable-differs';

export interface Difference {
  field: 'base_string' | 'signature' | 'authorization' | 'refused' | 'signed' | 'missing';
  expected?: string | null;
  actual?: string | null;
}

export interface Classification {
  status: Status;
  detail: string;
  differences: Difference[];
}

/** The decoded parameters of an `OAuth` Authorization header; null when it is not one. */
export function parseOAuthHeader(value: string): { realm: string | null; params: string[] } | null {
  const m = /^\s*OAuth(?:\s+|$)/i.exec(value);
  if (!m) return null;
  const s = value.slice(m[0].length);
  const params: string[] = [];
  let realm: string | null = null;
  let i = 0;
  const decode = (x: string): string => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  };
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) return null;
    const name = s.slice(i, eq).trim();
    i = eq + 1;
    while (i < s.length && /\s/.test(s[i]!)) i++;
    let raw: string;
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) return null;
      raw = s.slice(i + 1, end);
      i = end + 1;
    } else {
      const end = s.indexOf(',', i);
      raw = (end < 0 ? s.slice(i) : s.slice(i, end)).trim();
      i = end < 0 ? s.length : end;
    }
    if (name.toLowerCase() === 'realm' && realm === null) realm = raw;
    else params.push(`${decode(name)}=${decode(raw)}`);
  }
  return { realm, params: params.sort() };
}

function sameAuthorization(expected: string, actual: string): boolean {
  const a = parseOAuthHeader(expected);
  const b = parseOAuthHeader(actual);
  if (!a || !b) return false;
  return a.realm === b.realm && JSON.stringify(a.params) === JSON.stringify(b.params);
}

function present(v: string | null | undefined): v is string {
  return typeof v === 'string';
}

/** Compares one adapter outcome with the vector's expectation. */
export function classify(vector: SignVector, outcome: RunOutcome): Classification {
  if (!outcome.ok) return { status: 'error', detail: `adapter crashed: ${outcome.crash}`, differences: [] };
  const out = outcome.output;
  if (out.unsupported === true) return { status: 'unsupported', detail: out.reason ?? 'unsupported', differences: [] };

  const exp = vector.expected;
  if (vector.result === 'invalid') {
    if (present(out.error)) return { status: 'pass', detail: `refused: ${out.error}`, differences: [] };
    if (present(out.signature)) {
      return {
        status: 'fail',
        detail: 'signed malformed input that must be refused',
        differences: [{ field: 'signed', expected: exp.error ?? 'refusal', actual: out.base_string ?? out.signature }],
      };
    }
    return { status: 'fail', detail: 'neither refused nor signed', differences: [] };
  }

  const differences: Difference[] = [];
  if (present(out.error)) {
    differences.push({ field: 'refused', expected: exp.signature ?? null, actual: out.error });
  } else {
    if (!present(out.signature)) differences.push({ field: 'missing', expected: 'signature', actual: null });
    else if (out.signature !== exp.signature) differences.push({ field: 'signature', expected: exp.signature ?? null, actual: out.signature });
    if (present(exp.base_string) && present(out.base_string) && out.base_string !== exp.base_string) {
      differences.push({ field: 'base_string', expected: exp.base_string, actual: out.base_string });
    }
    if (present(exp.authorization) && present(out.authorization) && !sameAuthorization(exp.authorization, out.authorization)) {
      differences.push({ field: 'authorization', expected: exp.authorization, actual: out.authorization });
    }
  }
  if (differences.length === 0) {
    const compared = ['signature', present(out.base_string) ? 'base string' : null, present(out.authorization) ? 'authorization' : null];
    return { status: 'pass', detail: `equal: ${compared.filter(Boolean).join(', ')}`, differences };
  }
  const detail = differences.map((d) => (d.field === 'refused' ? `refused: ${d.actual}` : `${d.field} differs`)).join('; ');
  return { status: vector.result === 'acceptable' ? 'acceptable-differs' : 'fail', detail, differences };
}
