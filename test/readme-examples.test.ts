/**
 * The README's server code runs as printed: the node:http example, given a
 * verifier whose lookup throws ("the database is down"), answers 500 and
 * keeps serving; an OAuth failure gets its 401; a good request its 200.
 *
 * The block is taken from README.md, its two placeholders (`declare function
 * findClient` and `findToken`: the reader's database) replaced by lookups of
 * a fixed client and token, and its port by a free one; each replacement is
 * checked, so a README that drifts fails here rather than testing something
 * else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../src/client/sign.js';
import { tsBlocks } from './helpers/markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function replaceOnce(code: string, from: string, to: string): string {
  expect(code.split(from)).toHaveLength(2);
  return code.replace(from, to);
}

describe("README's node:http example", () => {
  let child: ChildProcess;
  let base = '';
  let stderr = '';

  beforeAll(async () => {
    const block = tsBlocks('README.md').find((b) => b.code.includes('verifyNodeRequest(verifier, req)'));
    expect(block).toBeDefined();
    let code = replaceOnce(
      block?.code ?? '',
      'declare function findClient(key: string): Promise<ClientRecord | undefined>;',
      `async function findClient(key: string): Promise<ClientRecord | undefined> {
  if (key === 'down') throw new Error('database is down');
  return key === 'ck' ? { secret: 'cs' } : undefined;
}`,
    );
    code = replaceOnce(
      code,
      'declare function findToken(key: string): Promise<TokenRecord | undefined>;',
      "async function findToken(key: string): Promise<TokenRecord | undefined> { return key === 'tk' ? { secret: 'ts', clientKey: 'ck' } : undefined; }",
    );
    code = replaceOnce(code, '.listen(8080);', ".listen(0, '127.0.0.1', function (this: import('node:net').Server) { process.stdout.write(`PORT ${(this.address() as import('node:net').AddressInfo).port}\\n`); });");
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    // Inside the repository: `oauth1` resolves to the built package by its own name (package.json exports).
    const dir = join(root, '.tmp', 'readme-examples');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'node-server.mjs');
    writeFileSync(file, js);
    child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      child.on('exit', (code) => reject(new Error(`the example exited (${code}): ${stderr}`)));
    });
  }, 30_000);
  afterAll(() => void child?.kill());

  const get = (key: string): Promise<Response> => {
    const s = sign({ method: 'GET', url: `${base}/hello` }, { client: { key, secret: key === 'ck' ? 'cs' : 'x' }, token: { key: 'tk', secret: 'ts' } });
    return fetch(s.url, { headers: s.headers });
  };

  it('answers 500 when the lookup throws, logs the error, and keeps serving', async () => {
    const down = await get('down');
    expect(down.status).toBe(500);
    expect(await down.text()).toBe('');
    expect(down.headers.get('www-authenticate')).toBeNull();
    const ok = await get('ck');
    expect([ok.status, await ok.text()]).toEqual([200, 'hello ck']);
    expect(stderr).toContain('database is down');
    expect(child.exitCode).toBeNull();
  });

  it('answers an OAuth failure with 401 and WWW-Authenticate', async () => {
    const res = await fetch(`${base}/hello`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^OAuth .*oauth_problem="parameter_absent"/);
  });
});
