/**
 * One long-running oauthlib process (test/interop/oauthlib_fuzz.py) that
 * the property-based tests talk to over stdin/stdout, one JSON line per
 * call. Loading oauthlib and cryptography costs far more than a call, so a
 * run starts it once and sends every case through it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { assertOauthlib, PYTHON, type ProtocolRequest, type ProtocolResult } from './python.js';

const SCRIPT = fileURLToPath(new URL('../interop/oauthlib_fuzz.py', import.meta.url));

/** What oauthlib's verifier knows. */
export interface OauthlibCredentials {
  client_key: string;
  client_secret: string;
  token: string | null;
  token_secret: string | null;
  rsa_public_key_pem: string | null;
}

/** A received request, as oauthlib's endpoints are handed it. */
export interface OauthlibVerifyInput {
  uri: string;
  method: string;
  body: string;
  headers: Array<[string, string]>;
  /** oauthlib's clock, in seconds. */
  now: number;
  creds: OauthlibCredentials;
}

export interface OauthlibVerdict {
  valid: boolean;
  reason: string | null;
  /** The base string oauthlib's verifier computed; null when it could not read the request. */
  base_string: string | null;
  error?: string;
}

export interface OauthlibWorker {
  sign(req: ProtocolRequest): Promise<ProtocolResult>;
  verify(input: OauthlibVerifyInput): Promise<OauthlibVerdict>;
  /** Calls made so far. */
  readonly calls: number;
  stop(): Promise<void>;
}

type Pending = { resolve: (value: Record<string, unknown>) => void; reject: (err: Error) => void };

/** Starts the worker; every call is answered in order, and a dead worker fails every pending call. */
export function startOauthlibWorker(): OauthlibWorker {
  assertOauthlib();
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let calls = 0;
  let stderr = '';
  let dead: Error | undefined;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const fail = (err: Error): void => {
    dead ??= err;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  child.once('error', fail);
  child.once('exit', (code, signal) => fail(new Error(`oauthlib_fuzz.py exited (${code ?? signal})\n${stderr}`)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      fail(new Error(`oauthlib_fuzz.py printed something that is not JSON: ${line.slice(0, 300)}`));
      return;
    }
    const id = message['id'] as number;
    const p = pending.get(id);
    if (p === undefined) return;
    pending.delete(id);
    p.resolve(message);
  });

  const call = (op: Record<string, unknown>): Promise<Record<string, unknown>> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    calls++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ ...op, id })}\n`);
    });
  };

  return {
    sign: async (req) => {
      const { id: _id, ...out } = await call({ op: 'sign', req });
      return out as unknown as ProtocolResult;
    },
    verify: async (input) => {
      const { id: _id, ...out } = await call({ op: 'verify', ...input });
      return out as unknown as OauthlibVerdict;
    },
    get calls() {
      return calls;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
    },
  };
}
