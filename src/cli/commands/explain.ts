/**
 * `oauth1 explain`: why a provider says "signature invalid".
 * @module
 * @internal
 */
import { adviceForProblem, compareBaseStrings } from '../../client/explain.js';
import { isBaseString, readPastedAnswer, type ProviderAnswer } from '../../client/provider-answer.js';
import { UsageError, str, type Values } from '../args.js';
import { signFromOptions } from './sign.js';

const SHAPE = 'METHOD&encoded-URI&encoded-parameters, e.g. POST&https%3A%2F%2Fapi.example.com%2Fitems&a%3D1%26oauth_consumer_key%3D…';

/** The provider's base string: given, or found in its error answer. */
function theirsOf(values: Values, answer: ProviderAnswer | undefined): string | undefined {
  const given = str(values, 'provider-base-string');
  if (given !== undefined) {
    if (!isBaseString(given)) throw new UsageError(`--provider-base-string is not a base string (expected ${SHAPE})`, 'explain');
    return given.trim();
  }
  return answer?.baseString;
}

function oursOf(values: Values): string {
  const given = str(values, 'ours-base-string');
  if (given === undefined) return signFromOptions(values).signed.baseString;
  if (!isBaseString(given)) throw new UsageError(`--ours-base-string is not a base string (expected ${SHAPE})`, 'explain');
  return given.trim();
}

function problemLines(answer: ProviderAnswer | undefined): string[] {
  if (answer?.problem === undefined) return [];
  const lines = [`The provider says: ${answer.problem}`];
  if (answer.parametersAbsent?.length) lines.push(`  absent: ${answer.parametersAbsent.join(', ')}`);
  if (answer.parametersRejected?.length) lines.push(`  rejected: ${answer.parametersRejected.join(', ')}`);
  if (answer.acceptableTimestamps) lines.push(`  acceptable timestamps: ${answer.acceptableTimestamps}`);
  if (answer.advice) lines.push(`  its advice: ${answer.advice}`);
  const advice = adviceForProblem(answer.problem);
  if (advice) lines.push(`  ${advice}`);
  return lines;
}

export function runExplain(values: Values): number {
  const errorText = str(values, 'provider-error');
  if (errorText === undefined && str(values, 'provider-base-string') === undefined) {
    throw new UsageError('give --provider-base-string, or --provider-error with the answer the provider sent', 'explain');
  }
  const answer = errorText === undefined ? undefined : readPastedAnswer(errorText);
  const theirs = theirsOf(values, answer);
  const lines = problemLines(answer);
  if (theirs === undefined) {
    if (lines.length === 0) {
      process.stdout.write('The answer holds no oauth_problem and no base string (not a base string, nor an answer that carries one).\n');
      return 1;
    }
    lines.push('', 'The answer holds no base string to compare; ask the provider for the base string it computed.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const cmp = compareBaseStrings(oursOf(values), theirs);
  if (lines.length) lines.push('');
  const d = cmp.firstDifference;
  if (cmp.identical || d === undefined) lines.push("Our base string and the provider's are identical.");
  else {
    lines.push(`The base strings first differ at character ${d.index}:`, `  ours:   ${d.ours}`, `  theirs: ${d.theirs}`);
    for (const p of cmp.parameters) lines.push(`  parameter ${p.name}: ours [${p.ours.join(', ')}], theirs [${p.theirs.join(', ')}]`);
  }
  lines.push('', 'Likely causes:', ...cmp.hints.map((h) => `  - ${h}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return cmp.identical ? 0 : 1;
}
