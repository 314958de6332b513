/**
 * Helpers for tests that drive Python's oauthlib (Debian: python3-oauthlib,
 * python3-cryptography, python3-jwt) through the scripts in test/interop/.
 */
import type { ConformanceRequest } from '../../src/conformance/protocol.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The Debian python, which sees the python3-* packages (a pyenv python on
 * PATH does not). `OAUTH1_TEST_PYTHON` overrides it (e.g. to check the skip path).
 */
export const PYTHON = process.env['OAUTH1_TEST_PYTHON'] || '/usr/bin/python3';

const INTEROP_DIR = fileURLToPath(new URL('../interop/', import.meta.url));
const SERVER_SCRIPT = join(INTEROP_DIR, 'oauthlib_server.py');
const SIGN_SCRIPT = join(INTEROP_DIR, 'oauthlib_sign.py');

export const OAUTHLIB_PACKAGES = 'python3-oauthlib python3-cryptography python3-jwt';

let status: { ok: boolean; reason: string } | undefined;

/** Whether oauthlib (with the modules its RSA methods need) can be imported; checked once. */
export function oauthlibStatus(): { ok: boolean; reason: string } {
  if (status === undefined) {
    const run = spawnSync(PYTHON, ['-c', 'import oauthlib, cryptography, jwt; print(oauthlib.__version__)'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    status =
      run.status === 0
        ? { ok: true, reason: `oauthlib ${run.stdout.trim()}` }
        : {
            ok: false,
            reason: `${PYTHON} cannot import oauthlib, cryptography and jwt (${
              run.error?.message ?? run.stderr.trim().split('\n').pop() ?? 'unknown error'
            }); install the Debian packages: apt-get install -y ${OAUTHLIB_PACKAGES}`,
          };
  }
  return status;
}

/** Sync, cached check. */
export function hasOauthlib(): boolean {
  return oauthlibStatus().ok;
}

/**
 * How a suite needing oauthlib should run: `skip` is true only outside CI.
 * In CI (`process.env.CI` set) a missing oauthlib must fail the run, so the
 * suite runs and {@link assertOauthlib} throws with the reason.
 */
export function oauthlibGate(): { skip: boolean; reason: string } {
  const s = oauthlibStatus();
  if (s.ok) return { skip: false, reason: s.reason };
  if (process.env['CI']) return { skip: false, reason: s.reason };
  return { skip: true, reason: `skipped: ${s.reason}` };
}

/** Throws a clear error when oauthlib is missing (used in CI, where skipping would hide it). */
export function assertOauthlib(): void {
  const s = oauthlibStatus();
  if (!s.ok) throw new Error(`oauthlib interop tests cannot run: ${s.reason}`);
}

/** What the server knows: one client (secret and RSA public key) and one token. */
export interface OauthlibServerCredentials {
  client_key: string;
  client_secret: string;
  token: string;
  token_secret: string;
  rsa_public_key_pem: string;
}

export interface OauthlibServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

/** Starts test/interop/oauthlib_server.py on a free loopback port. */
export async function startOauthlibServer(credentials: OauthlibServerCredentials): Promise<OauthlibServer> {
  assertOauthlib();
  const dir = mkdtempSync(join(tmpdir(), 'oauth1-oauthlib-'));
  const credentialsFile = join(dir, 'credentials.json');
  writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  return startPythonServer(SERVER_SCRIPT, ['0', credentialsFile], () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Runs a Python server script that prints `PORT <n>` when ready and exits
 * when its stdin closes; resolves once it is listening.
 */
export async function startPythonServer(script: string, args: string[] = [], cleanup: () => void = () => undefined): Promise<OauthlibServer> {
  assertOauthlib();
  // stdin stays an open pipe: the server exits when it closes (if this process dies).
  const child = spawn(PYTHON, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const timer = setTimeout(() => reject(new Error(`${script} did not print its port within 15 s\n${stderr}`)), 15_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        const m = /^PORT (\d+)$/.exec(line.trim());
        if (m) resolve(Number(m[1]));
        else reject(new Error(`${script} printed "${line}" instead of "PORT <n>"\n${stderr}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? signal}) before printing its port\n${stderr}`));
      });
    });
  } catch (err) {
    child.kill();
    cleanup();
    throw err;
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill('SIGTERM');
        await exited;
      }
      cleanup();
    },
  };
}

/** A conformance-protocol request (the one type, from src/protocol.ts). */
export type ProtocolRequest = ConformanceRequest;

/** A conformance-protocol result. */
export interface ProtocolResult {
  base_string: string | null;
  signature: string | null;
  authorization: string | null;
  error?: string;
  unsupported?: boolean;
}

/** Signs one protocol request with oauthlib (test/interop/oauthlib_sign.py). */
export function oauthlibSign(request: ProtocolRequest): ProtocolResult {
  assertOauthlib();
  const run = spawnSync(PYTHON, [SIGN_SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', timeout: 20_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`oauthlib_sign.py exited with ${run.status}: ${run.stderr}`);
  try {
    return JSON.parse(run.stdout) as ProtocolResult;
  } catch {
    throw new Error(`oauthlib_sign.py printed something that is not JSON: ${run.stdout}\n${run.stderr}`);
  }
}

const BATCH_SCRIPT = join(INTEROP_DIR, 'oauthlib_batch.py');

/**
 * Signs many protocol requests with oauthlib in one Python process
 * (test/interop/oauthlib_batch.py runs oauthlib_sign.py's adapter per line),
 * so a suite that signs a few requests per server does not pay oauthlib's
 * start-up for each.
 */
export function oauthlibSignMany(requests: readonly ProtocolRequest[]): ProtocolResult[] {
  assertOauthlib();
  if (requests.length === 0) return [];
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const run = spawnSync(PYTHON, [BATCH_SCRIPT], { input, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`oauthlib_batch.py exited with ${run.status}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== requests.length) throw new Error(`oauthlib_batch.py answered ${lines.length} lines for ${requests.length} requests\n${run.stderr}`);
  return lines.map((line) => JSON.parse(line) as ProtocolResult);
}
