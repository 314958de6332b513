/**
 * Starts a throwaway `redis-server` (Debian package redis-server; .ci/run
 * installs it) on a free loopback port, for the Redis nonce-store tests.
 * Nothing is persisted: `--save ''`, `--appendonly no`, and a temporary
 * working directory removed on stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server binary; `OAUTH1_TEST_REDIS_SERVER` overrides it (e.g. to check the skip path). */
export const REDIS_SERVER = process.env['OAUTH1_TEST_REDIS_SERVER'] || 'redis-server';

let status: { ok: boolean; reason: string } | undefined;

/** Whether `redis-server` can be run; checked once. */
export function redisServerStatus(): { ok: boolean; reason: string } {
  if (status === undefined) {
    const run = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    status =
      run.status === 0
        ? { ok: true, reason: run.stdout.trim() }
        : {
            ok: false,
            reason: `${REDIS_SERVER} cannot be run (${
              run.error?.message ?? (run.stderr.trim() || `exit ${run.status}`)
            }); install it: apt-get install -y redis-server`,
          };
  }
  return status;
}

/**
 * How a suite needing redis-server should run: `skip` is true only outside
 * CI. In CI (`process.env.CI` set) a missing server must fail the run, so the
 * suite runs and {@link assertRedisServer} throws with the reason.
 */
export function redisServerGate(): { skip: boolean; reason: string } {
  const s = redisServerStatus();
  if (s.ok) return { skip: false, reason: s.reason };
  if (process.env['CI']) return { skip: false, reason: s.reason };
  return { skip: true, reason: `skipped: ${s.reason}` };
}

/** Throws a clear error when redis-server is missing (used in CI, where skipping would hide it). */
export function assertRedisServer(): void {
  const s = redisServerStatus();
  if (!s.ok) throw new Error(`Redis tests cannot run: ${s.reason}`);
}

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it; redis-server has no `--port 0`). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe server'));
      });
    });
  });
}

/** One PING over a raw connection: true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** One attempt on one port: resolves when the server answers PING; `retry` when the port was taken. */
async function startOn(port: number, dir: string): Promise<{ child: ChildProcess } | { retry: string }> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`cannot start ${REDIS_SERVER}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/address already in use/i.test(output)) return { retry: output };
      throw new Error(`${REDIS_SERVER} exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${output}`);
    }
    if (await ping(port)) return { child };
    await sleep(50);
  }
  await stopChild(child);
  throw new Error(`${REDIS_SERVER} did not answer PING on port ${port} within 15 s:\n${output}`);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts redis-server on a free loopback port and waits until it answers
 * PING. A port taken between the probe and the start is retried with another.
 */
export async function startRedisServer(): Promise<RedisServer> {
  assertRedisServer();
  if (!exitHookInstalled) {
    // A worker that ends without afterAll must not leave servers behind.
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
    exitHookInstalled = true;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oauth1-redis-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let lastCollision = '';
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const started = await startOn(port, dir);
      if ('retry' in started) {
        lastCollision = started.retry;
        continue;
      }
      const { child } = started;
      running.add(child);
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          await stopChild(child);
          running.delete(child);
          cleanup();
        },
      };
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  cleanup();
  throw new Error(`${REDIS_SERVER} found every probed port taken (5 attempts):\n${lastCollision}`);
}
