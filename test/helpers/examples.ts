/**
 * Runs the programs of docs/examples/ as a user would: each .ts file is
 * stripped of its types (TypeScript's transpileModule, nothing else changed)
 * into .tmp/examples/, inside this package, so its `import … from 'oauth1'`
 * resolves to the built package through package.json `exports` (run
 * `npm run build` first, as `npm test` does). Servers are started on a free
 * loopback port (`PORT=0`) and found by the `listening on <url>` line they
 * print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../docs/examples/', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../.tmp/examples/', import.meta.url));

/** Every TypeScript program in docs/examples/. */
export function examplePrograms(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.ts')).sort();
}

/** Strips the types of one example into .tmp/examples/<name>.mjs and returns that path. */
export function compileExample(file: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const source = readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: file,
  });
  const out = `${OUT_DIR}${file.replace(/\.ts$/, '.mjs')}`;
  writeFileSync(out, outputText);
  return out;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function launch(file: string, env: Record<string, string>): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [compileExample(file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  return { child, output };
}

export interface InteractiveExample {
  output: { stdout: string; stderr: string };
  /** Resolves with the first match of `pattern` in stdout, waiting for it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves when the program ends (killed after `timeoutMs`). */
  finished(timeoutMs?: number): Promise<Finished>;
}

/** Starts an example whose output a test reads while it runs. */
export function interactWithExample(file: string, env: Record<string, string> = {}): InteractiveExample {
  const { child, output } = launch(file, env);
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = pattern.exec(output.stdout);
          if (m === null) return false;
          clearTimeout(timer);
          child.stdout?.off('data', check);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          child.stdout?.off('data', check);
          reject(new Error(`${file} did not print ${pattern} within ${timeoutMs} ms:\n${output.stdout}\n${output.stderr}`));
        }, timeoutMs);
        if (!check()) child.stdout?.on('data', check);
        void ended.then(() => setImmediate(() => check() || reject(new Error(`${file} ended before printing ${pattern}:\n${output.stdout}\n${output.stderr}`))));
      });
    },
    async finished(timeoutMs = 60_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await ended;
      clearTimeout(timer);
      return { code, ...output };
    },
  };
}

/** Runs an example to its end (killed after `timeoutMs`). */
export function runExample(file: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Finished> {
  const { child, output } = launch(file, env);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
  });
}

export interface RunningExample {
  /** The URL from its `listening on <url>` line. */
  url: string;
  output: { stdout: string; stderr: string };
  stop(): Promise<void>;
  child: ChildProcess;
}

/** Starts a server example on a free port and waits for its `listening on <url>` line. */
export function startExample(file: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunningExample> {
  const { child, output } = launch(file, { PORT: '0', ...env });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} printed no "listening on" line within ${timeoutMs} ms:\n${output.stdout}\n${output.stderr}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /listening on (https?:\/\/\S+)/.exec(output.stdout);
      if (m?.[1] === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ url: m[1].replace(/\/$/, ''), output, stop, child });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before listening:\n${output.stdout}\n${output.stderr}`));
    });
  });
}
