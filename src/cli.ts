/**
 * The `oauth1` command line.
 *
 *   oauth1 sign --json                      one conformance request on stdin → one result on stdout
 *   oauth1 sign --method POST --url URL --consumer-key K --consumer-secret S [...]
 *   oauth1 base-string [same options]       prints the signature base string
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sign, type SignOptions } from './client.js';
import { runConformance, type VectorOutcome } from './conformance.js';
import { formatForm, parseForm } from './encoding.js';
import { adviceForProblem, compareBaseStrings } from './explain.js';
import { OAuthError } from './errors.js';
import { signConformanceRequest, type ConformanceRequest } from './protocol.js';
import { appendQuery } from './request.js';

const USAGE = `Usage:
  oauth1 sign --json < request.json
      Speak the conformance protocol: one JSON request on stdin, one JSON result on stdout.
  oauth1 sign --method M --url URL --consumer-key K --consumer-secret S [options]
      Print the Authorization header value.
  oauth1 base-string [same options]
      Print the signature base string.
  oauth1 explain [sign options] --provider-base-string S | --provider-error TEXT
      Compare our base string with the one a provider computed (or find it in
      the provider's error answer) and say what usually causes each difference.
      --ours-base-string S compares two base strings without signing.
  oauth1 conformance --exec "<command>" [--json] [--filter TEXT|/REGEX/] [--vectors DIR]
      Run every signing vector through a command that speaks the protocol;
      print a pass/fail table (or one JSON result per line) and a summary.
      Exits 1 on any failure or error.

Options for sign and base-string:
  --method M               HTTP method (default GET)
  --url URL                absolute request URL, query included
  --consumer-key K         client identifier
  --consumer-secret S      client shared secret (or env OAUTH1_CONSUMER_SECRET)
  --token T                token identifier
  --token-secret TS        token shared secret (or env OAUTH1_TOKEN_SECRET)
  --signature-method M     HMAC-SHA1 (default), HMAC-SHA256, HMAC-SHA512,
                           RSA-SHA1, RSA-SHA256, RSA-SHA512, PLAINTEXT
  --private-key FILE       RSA private key (PEM, PKCS#1 or PKCS#8)
  --form name=value        a form body field (repeatable; sent as
                           application/x-www-form-urlencoded)
  --query name=value       a query parameter added to the URL (repeatable)
  --body TEXT              a raw body that is not a form (with --content-type)
  --content-type TYPE      the body's Content-Type
  --body-hash              add oauth_body_hash for a non-form body
  --realm R                realm of the Authorization header
  --callback URL           oauth_callback ('oob' for out of band)
  --verifier V             oauth_verifier
  --nonce N                fixed nonce (default: 128 random bits)
  --timestamp T            fixed timestamp in seconds (default: now)
  --no-version             leave out oauth_version
  --placement P            header (default), query or body
  --allow-plaintext-over-http
                           allow PLAINTEXT on an http URL
  --base-string            print the base string instead of the header
  --curl                   print a ready curl command
  -h, --help               this help
`;

const OPTIONS = {
  json: { type: 'boolean' },
  method: { type: 'string' },
  url: { type: 'string' },
  'consumer-key': { type: 'string' },
  'consumer-secret': { type: 'string' },
  token: { type: 'string' },
  'token-secret': { type: 'string' },
  'signature-method': { type: 'string' },
  'private-key': { type: 'string' },
  form: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  body: { type: 'string' },
  'content-type': { type: 'string' },
  'body-hash': { type: 'boolean' },
  realm: { type: 'string' },
  callback: { type: 'string' },
  verifier: { type: 'string' },
  nonce: { type: 'string' },
  timestamp: { type: 'string' },
  'no-version': { type: 'boolean' },
  placement: { type: 'string' },
  'allow-plaintext-over-http': { type: 'boolean' },
  'base-string': { type: 'boolean' },
  curl: { type: 'boolean' },
  exec: { type: 'string' },
  'provider-base-string': { type: 'string' },
  'provider-error': { type: 'string' },
  'ours-base-string': { type: 'string' },
  filter: { type: 'string' },
  vectors: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function pairs(values: string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects name=value, got "${item}"`);
    return [item.slice(0, eq), item.slice(eq + 1)];
  });
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

function runSignJson(): number {
  let request: ConformanceRequest;
  try {
    request = JSON.parse(readStdin()) as ConformanceRequest;
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ base_string: null, signature: null, authorization: null, error: `invalid JSON: ${(err as Error).message}` })}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(signConformanceRequest(request))}\n`);
  return 0;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function signFromOptions(values: Values) {
  const url = values.url;
  const key = values['consumer-key'];
  if (!url) throw new UsageError('--url is required');
  if (!key) throw new UsageError('--consumer-key is required');
  const method = (values.method ?? 'GET').toUpperCase();
  const signatureMethod = values['signature-method'] ?? 'HMAC-SHA1';
  const form = pairs(values.form, '--form');
  if (form.length > 0 && values.body !== undefined) throw new UsageError('--form and --body cannot be combined');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (form.length > 0) {
    body = formatForm(form);
    headers['Content-Type'] = values['content-type'] ?? 'application/x-www-form-urlencoded';
  } else if (values.body !== undefined) {
    body = values.body;
    if (values['content-type']) headers['Content-Type'] = values['content-type'];
  }
  const consumerSecret = values['consumer-secret'] ?? process.env['OAUTH1_CONSUMER_SECRET'];
  const tokenSecret = values['token-secret'] ?? process.env['OAUTH1_TOKEN_SECRET'];
  const client: SignOptions['client'] = { key };
  if (values['private-key']) client.privateKey = readFileSync(values['private-key'], 'utf8');
  if (consumerSecret !== undefined) client.secret = consumerSecret;
  else if (!signatureMethod.startsWith('RSA-')) throw new UsageError('--consumer-secret (or OAUTH1_CONSUMER_SECRET) is required');
  const opts: SignOptions = { client, signatureMethod };
  if (values.token !== undefined) opts.token = { key: values.token, secret: tokenSecret ?? '' };
  if (values.realm !== undefined) opts.realm = values.realm;
  if (values.callback !== undefined) opts.callback = values.callback;
  if (values.verifier !== undefined) opts.verifier = values.verifier;
  if (values.nonce !== undefined) opts.nonce = values.nonce;
  if (values.timestamp !== undefined) opts.timestamp = values.timestamp;
  if (values['no-version']) opts.includeVersion = false;
  if (values['body-hash']) opts.bodyHash = true;
  if (values['allow-plaintext-over-http']) opts.allowPlaintextOverHttp = true;
  if (values.placement !== undefined) opts.placement = values.placement as NonNullable<SignOptions['placement']>;

  return { signed: sign({ method, url: appendQuery(url, formatForm(pairs(values.query, '--query'))), headers, body }, opts), opts };
}

function runSignHuman(values: Values, baseStringOnly: boolean): number {
  const { signed, opts } = signFromOptions(values);
  if (baseStringOnly || values['base-string']) {
    process.stdout.write(`${signed.baseString}\n`);
  } else if (values.curl) {
    const parts = ['curl', '-X', signed.method];
    for (const [n, v] of Object.entries(signed.headers)) parts.push('-H', shellQuote(`${n}: ${v}`));
    if (signed.body !== undefined) parts.push('--data-raw', shellQuote(typeof signed.body === 'string' ? signed.body : Buffer.from(signed.body).toString('utf8')));
    parts.push(shellQuote(signed.url));
    process.stdout.write(`${parts.join(' ')}\n`);
  } else if (signed.headers['Authorization'] !== undefined) {
    process.stdout.write(`${signed.headers['Authorization']}\n`);
  } else {
    // query or body placement: show what carries the parameters
    process.stdout.write(`${opts.placement === 'query' ? signed.url : String(signed.body)}\n`);
  }
  return 0;
}

const BASE_STRING_IN_TEXT = /(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)&https?%3A%2F%2F[A-Za-z0-9%._~\-]+&[A-Za-z0-9%._~\-]*/;

/** Finds the oauth_problem and a base string in a provider's error answer (body or header text). */
function readProviderError(text: string): { problem?: string; baseString?: string } {
  const out: { problem?: string; baseString?: string } = {};
  const problem = /oauth_problem="?([a-z_]+)/.exec(text);
  if (problem) out.problem = problem[1]!;
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

function runExplain(values: Values): number {
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
  if (cmp.identical) lines.push('Our base string and the provider\'s are identical.');
  else {
    const d = cmp.firstDifference!;
    lines.push(`The base strings first differ at character ${d.index}:`, `  ours:   ${d.ours}`, `  theirs: ${d.theirs}`);
    for (const p of cmp.parameters) lines.push(`  parameter ${p.name}: ours [${p.ours.join(', ')}], theirs [${p.theirs.join(', ')}]`);
  }
  lines.push('', 'Likely causes:', ...cmp.hints.map((h) => `  - ${h}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return cmp.identical ? 0 : 1;
}

async function runConformanceCommand(values: Values): Promise<number> {
  if (!values.exec) throw new UsageError('--exec "<command>" is required');
  const vectorsDir = values.vectors ?? fileURLToPath(new URL('../vectors/', import.meta.url));
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency expects a positive integer');
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  const mark = { pass: 'PASS ', fail: 'FAIL ', skip: 'SKIP ', error: 'ERROR' } as const;
  let lastFile = '';
  const outcomes: VectorOutcome[] = await runConformance({
    exec: values.exec,
    vectorsDir,
    filter: values.filter,
    concurrency,
    onResult: (o, v) => {
      counts[o.status]++;
      if (values.json) {
        process.stdout.write(`${JSON.stringify(o)}\n`);
        return;
      }
      if (v.file !== lastFile) process.stdout.write(`\n${v.file}\n`);
      lastFile = v.file;
      process.stdout.write(`  ${mark[o.status]} ${o.id}${o.status === 'pass' ? '' : `  — ${o.detail}`}\n`);
    },
  });
  const summary = `${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors (${outcomes.length} vectors)`;
  if (values.json) process.stderr.write(`${summary}\n`);
  else process.stdout.write(`\n${summary}\n`);
  if (outcomes.length === 0) {
    process.stderr.write('oauth1: no vector matched\n');
    return 1;
  }
  return counts.fail + counts.error > 0 ? 1 : 0;
}

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

process.exitCode = await main(process.argv.slice(2));
