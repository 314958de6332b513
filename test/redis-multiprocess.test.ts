import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../src/index.js';
import { assertRedisServer, redisServerGate, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const SERVER = fileURLToPath(new URL('./fixtures/redis-verifier-server.mjs', import.meta.url));
const gate = redisServerGate();

function startVerifier(redisUrl: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, redisUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`verifier process exited with ${code}`)));
  });
}

function send(port: number, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: 'api.example.test', authorization }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(gate.skip)(`two verifier processes sharing one Redis (${gate.reason})`, () => {
  let redis: RedisServer;
  let procs: Array<{ child: ChildProcess; port: number }> = [];

  beforeAll(async () => {
    assertRedisServer();
    redis = await startRedisServer();
    procs = await Promise.all([startVerifier(redis.url), startVerifier(redis.url)]);
  }, 30_000);

  afterAll(async () => {
    for (const p of procs) p.child.stdin!.end();
    await redis?.stop();
  });

  it('of many concurrent copies of one signed request sent to both, exactly one is accepted', async () => {
    const signed = sign(
      { method: 'GET', url: 'http://api.example.test/items?page=1' },
      { client: { key: 'shared-client', secret: 'shared client secret' }, token: { key: 'shared-token', secret: 'shared token secret' } },
    );
    const copies = 100;
    const statuses = await Promise.all(
      Array.from({ length: copies }, (_, i) => send(procs[i % 2]!.port, '/items?page=1', signed.headers['Authorization']!)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(copies - 1);
  });

  it('each process alone still accepts fresh requests', async () => {
    for (const p of procs) {
      const signed = sign(
        { method: 'GET', url: 'http://api.example.test/items' },
        { client: { key: 'shared-client', secret: 'shared client secret' }, token: { key: 'shared-token', secret: 'shared token secret' } },
      );
      expect(await send(p.port, '/items', signed.headers['Authorization']!)).toBe(200);
    }
  });
});
