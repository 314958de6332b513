/**
 * `oauth1 explain`: why a provider says "signature invalid".
 * @module
 * @internal
 */
import { adviceForProblem, compareBaseStrings } from '../../client/explain.js';
import { parseForm } from '../../core/encoding.js';
import { UsageError, type Values } from '../args.js';
import { signFromOptions } from './sign.js';

const BASE_STRING_IN_TEXT = /(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)&https?%3A%2F%2F[A-Za-z0-9%._~\-]+&[A-Za-z0-9%._~\-]*/;

/** Finds the oauth_problem and a base string in a provider's error answer (body or header text). */
function readProviderError(text: string): { problem?: string; baseString?: string } {
  const out: { problem?: string; baseString?: string } = {};
  const problem = /oauth_problem="?([a-z_]+)/.exec(text);
  if (problem?.[1] !== undefined) out.problem = problem[1];
  try {
    const fields = new Map(parseForm(text.trim()));
    const sbs = fields.get('debug_sbs') ?? fields.get('oauth_signature_base_string') ?? fields.get('base_string');
    if (sbs) out.baseString = sbs;
  } catch {
    // not a form: look for a base string in the text itself
  }
  const found = out.baseString ?? BASE_STRING_IN_TEXT.exec(text)?.[0];
  if (found !== undefined) out.baseString = found;
  return out;
}

export function runExplain(values: Values): number {
  const providerError = values['provider-error'] !== undefined ? readProviderError(values['provider-error']) : {};
  const theirs = values['provider-base-string'] ?? providerError.baseString;
  const lines: string[] = [];
  if (providerError.problem) {
    lines.push(`The provider says: ${providerError.problem}`);
    const advice = adviceForProblem(providerError.problem);
    if (advice) lines.push(`  ${advice}`);
  }
  if (theirs === undefined) {
    if (lines.length === 0) throw new UsageError('give --provider-base-string, or --provider-error with the answer the provider sent');
    lines.push('', 'The answer holds no base string to compare; ask the provider for the base string it computed.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const ours = values['ours-base-string'] ?? signFromOptions(values).signed.baseString;
  const cmp = compareBaseStrings(ours, theirs);
  if (lines.length) lines.push('');
  const d = cmp.firstDifference;
  if (cmp.identical || d === undefined) lines.push('Our base string and the provider\'s are identical.');
  else {
    lines.push(`The base strings first differ at character ${d.index}:`, `  ours:   ${d.ours}`, `  theirs: ${d.theirs}`);
    for (const p of cmp.parameters) lines.push(`  parameter ${p.name}: ours [${p.ours.join(', ')}], theirs [${p.theirs.join(', ')}]`);
  }
  lines.push('', 'Likely causes:', ...cmp.hints.map((h) => `  - ${h}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return cmp.identical ? 0 : 1;
}

