/**
 * The `oauth1` command line: finds the command, parses its own options and
 * runs it. Importing this module runs nothing (bin.ts is the executable).
 *
 *   oauth1 sign --json                      one conformance request on stdin → one result on stdout
 *   oauth1 sign --method POST --url URL --consumer-key K --consumer-secret S [...]
 *   oauth1 base-string [same options]       prints the signature base string
 *   oauth1 explain …, oauth1 conformance …, oauth1 <command> --help, oauth1 --version
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import { OAuthError } from '../core/errors.js';
import { COMMANDS, USAGE, UsageError, isCommand, parseCommand, type CommandName, type Values } from './args.js';
import { runConformanceCommand } from './commands/conformance.js';
import { runDebugger } from './commands/debugger.js';
import { runExplain } from './commands/explain.js';
import { runSignHuman, runSignJson } from './commands/sign.js';
import { inFlagTerms } from './flags.js';

/** The package version, from the package.json next to dist/ (or src/). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function run(command: CommandName, values: Values): Promise<number> {
  switch (command) {
    case 'sign':
      return values['json'] === true ? runSignJson(values) : runSignHuman(values, false);
    case 'base-string':
      return runSignHuman(values, true);
    case 'explain':
      return runExplain(values);
    case 'conformance':
      return runConformanceCommand(values);
    case 'debugger':
      return runDebugger(values);
  }
}

function usageOf(command: CommandName | undefined): string {
  return command === undefined ? USAGE : COMMANDS[command].usage;
}

/** Reports an error as one line on stderr: usage mistakes with exit code 2, refusals and wrong values with 1. Never a stack trace. */
function report(err: unknown, command: CommandName | undefined): number {
  if (err instanceof UsageError) {
    const cmd = err.command ?? command;
    process.stderr.write(`oauth1: ${err.message}\n(see ${cmd ? `oauth1 ${cmd} --help` : 'oauth1 --help'})\n`);
    return 2;
  }
  if (err instanceof OAuthError || err instanceof TypeError) {
    process.stderr.write(`oauth1: ${inFlagTerms(err.message)}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`oauth1: ${inFlagTerms(message)}\n`);
  return 1;
}

/** Runs the CLI; resolves with the exit code. @internal */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' && isCommand(rest[0]) ? rest[0] : undefined;
    process.stdout.write(usageOf(topic));
    return first === undefined ? 2 : 0;
  }
  if (!isCommand(first)) {
    process.stderr.write(`oauth1: unknown command "${first}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const values = parseCommand(first, rest);
    if (values['help'] === true) {
      process.stdout.write(usageOf(first));
      return 0;
    }
    return await run(first, values);
  } catch (err) {
    return report(err, first);
  }
}
