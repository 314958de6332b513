/**
 * Two provider processes sharing one Redis (oauth1/redis's provider and
 * nonce stores, on a real redis-server): temporary credentials issued and
 * approved through one process are exchanged by many differently signed
 * requests at once, spread over both processes; exactly one exchange wins.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SignOptions } from '../src/client/sign.js';
import { assertRedisServer, redisServerGate, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const SERVER = fileURLToPath(new URL('./fixtures/redis-provider-server.mjs', import.meta.url));
const gate = redisServerGate();
const client = { key: 'race-client', secret: 'race client secret' };

function startProvider(redisUrl: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, redisUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`provider process exited with ${code}`)));
  });
}

async function post(base: string, path: string, opts: Partial<SignOptions>): Promise<{ status: number; body: string; pid: string | null }> {
  const s = sign({ method: 'POST', url: base + path }, { client, ...opts });
  const res = await fetch(s.url, { method: 'POST', headers: s.headers, body: s.body });
  return { status: res.status, body: await res.text(), pid: res.headers.get('x-provider-pid') };
}

describe.skipIf(gate.skip)(`two provider processes sharing one Redis (${gate.reason})`, () => {
  let redis: RedisServer;
  let procs: Array<{ child: ChildProcess; base: string }> = [];

  beforeAll(async () => {
    assertRedisServer();
    redis = await startRedisServer();
    procs = await Promise.all([startProvider(redis.url), startProvider(redis.url)]);
  }, 30_000);

  afterAll(async () => {
    for (const p of procs) p.child.stdin?.end();
    await redis?.stop();
  });

  it('of 40 concurrent exchanges of the same temporary credentials through both processes, exactly one gets token credentials', async () => {
    const [a, b] = procs;
    if (a === undefined || b === undefined) throw new Error('two provider processes are needed');
    const issued = await post(a.base, '/request_token', { callback: 'https://client.example/cb' });
    expect(issued.status, issued.body).toBe(200);
    const temporary = new URLSearchParams(issued.body);
    const key = temporary.get('oauth_token') ?? '';
    const secret = temporary.get('oauth_token_secret') ?? '';
    // Approved through the other process: the approval lives in Redis.
    const approve = await fetch(`${b.base}/approve?oauth_token=${encodeURIComponent(key)}`, { method: 'POST' });
    const verifier = await approve.text();
    expect(approve.status, verifier).toBe(200);

    const attempts = Array.from({ length: 40 }, (_, i) => post(i % 2 === 0 ? a.base : b.base, '/access_token', { token: { key, secret }, verifier }));
    const answers = await Promise.all(attempts);
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(new URLSearchParams(won[0]?.body).get('oauth_token')).toMatch(/.{20,}/);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(39);
    // Both processes answered: the race really spanned them.
    expect(new Set(answers.map((r) => r.pid)).size).toBe(2);
  });
});
