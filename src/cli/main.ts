/**
 * The `oauth1` command line: parses the arguments and runs one command.
 * Importing this module runs nothing (bin.ts is the executable).
 *
 *   oauth1 sign --json                      one conformance request on stdin → one result on stdout
 *   oauth1 sign --method POST --url URL --consumer-key K --consumer-secret S [...]
 *   oauth1 base-string [same options]       prints the signature base string
 * @module
 * @internal
 */
import { parseArgs } from 'node:util';
import { OAuthError } from '../core/errors.js';
import { OPTIONS, USAGE, UsageError } from './args.js';
import { runConformanceCommand } from './commands/conformance.js';
import { runExplain } from './commands/explain.js';
import { runSignHuman, runSignJson } from './commands/sign.js';

/** Runs the CLI; resolves with the exit code. @internal */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`oauth1: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    switch (command) {
      case 'sign':
        return values.json ? runSignJson() : runSignHuman(values, false);
      case 'base-string':
        return runSignHuman(values, true);
      case 'explain':
        return runExplain(values);
      case 'conformance':
        return await runConformanceCommand(values);
      default:
        process.stderr.write(`oauth1: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`oauth1: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof OAuthError || err instanceof TypeError) {
      process.stderr.write(`oauth1: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

