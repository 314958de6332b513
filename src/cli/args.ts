/**
 * The command line's commands, their options and help, and the errors it
 * reports as usage mistakes. No side effects.
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

const HELP = { help: { type: 'boolean', short: 'h' } } as const satisfies Record<string, OptionSpec>;

/** The options that describe the request to sign (sign, base-string, explain). */
const REQUEST = {
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
  provider: { type: 'string' },
  account: { type: 'string' },
  'base-url': { type: 'string' },
  'app-name': { type: 'string' },
  sandbox: { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

const REQUEST_HELP = `Request options:
  --method M               HTTP method: GET (default), POST, PUT, PATCH, DELETE, HEAD, OPTIONS
  --url URL                absolute http(s) request URL, query included
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
Provider profiles (the provider's method, realm, placement and rules):
  --provider ID            x, netsuite, woocommerce, magento, jira, garmin, trello,
                           flickr, etrade, schoology, mastercard, discogs
  --account ID             NetSuite account id (1234567_SB1 or 1234567-sb1)
  --base-url URL           WooCommerce or Magento store, Jira base URL, Schoology site
  --app-name NAME          Trello application name, Discogs User-Agent
  --sandbox                the provider's sandbox hosts (E*TRADE, Mastercard)
`;

export interface CommandSpec {
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly usage: string;
}

export const COMMANDS = {
  sign: {
    options: { ...HELP, ...REQUEST, json: { type: 'boolean' }, 'base-string': { type: 'boolean' }, curl: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' } },
    usage: `Usage:
  oauth1 sign --method M --url URL --consumer-key K --consumer-secret S [options]
      Print the Authorization header value (or the signed URL or body, with
      --placement query or body).
  oauth1 sign --json < request.json
      Speak the conformance protocol: one JSON request on stdin, one JSON result on stdout.

Output options:
  --verbose, -v            print the header (or URL or body), the base string and the
                           signature of the same signing
  --base-string            print the base string instead of the header
  --curl                   print a ready curl command
  --json                   conformance protocol on stdin/stdout
  -h, --help               this help

${REQUEST_HELP}`,
  },
  'base-string': {
    options: { ...HELP, ...REQUEST },
    usage: `Usage:
  oauth1 base-string --method M --url URL --consumer-key K [options]
      Print the signature base string.

${REQUEST_HELP}`,
  },
  explain: {
    options: { ...HELP, ...REQUEST, 'provider-base-string': { type: 'string' }, 'provider-error': { type: 'string' }, 'ours-base-string': { type: 'string' } },
    usage: `Usage:
  oauth1 explain [request options] --provider-base-string S
  oauth1 explain [request options] --provider-error TEXT
  oauth1 explain --ours-base-string S --provider-base-string S
      Compare our base string with the one a provider computed (given, or
      found in the provider's error answer: debug_sbs, oauth_signature_base_string,
      encoded or not) and say what usually causes each difference.
      Exits 0 when the base strings are identical, 1 when they differ.

  --provider-base-string S the provider's base string
  --provider-error TEXT    the provider's error answer (body, or header text)
  --ours-base-string S     our base string, instead of signing the request options
  -h, --help               this help

${REQUEST_HELP}`,
  },
  conformance: {
    options: { ...HELP, exec: { type: 'string' }, json: { type: 'boolean' }, filter: { type: 'string' }, vectors: { type: 'string' }, concurrency: { type: 'string' } },
    usage: `Usage:
  oauth1 conformance --exec "<command>" [--json] [--filter TEXT|/REGEX/] [--vectors DIR] [--concurrency N]
      Run every signing vector through a command that speaks the protocol;
      print a pass/fail table (or one JSON result per line) and a summary.
      Exits 1 on any failure or error.

  --exec "<command>"       the command to run, once per vector (JSON in, JSON out)
  --json                   one JSON result per line instead of the table
  --filter TEXT|/REGEX/    only the vectors whose id contains TEXT or matches REGEX
  --vectors DIR            the vector directory (default: the package's vectors/)
  --concurrency N          vectors run at once (default 4)
  -h, --help               this help
`,
  },
  debugger: {
    options: { ...HELP, port: { type: 'string' } },
    usage: `Usage:
  oauth1 debugger [--port N]
      Serve the signature debugger page on http://127.0.0.1 until Ctrl-C.
      The page signs and compares in the browser: nothing typed there
      leaves it (its Content-Security-Policy forbids every connection).

  --port N                 the port (default: a free one, printed)
  -h, --help               this help
`,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const USAGE = `Usage: oauth1 <command> [options]

Commands:
  oauth1 sign          sign a request: print the Authorization header (or --json: the conformance protocol)
  oauth1 base-string   print the signature base string of a request
  oauth1 explain       compare our base string with a provider's and say what differs
  oauth1 conformance   run the signing vectors through a command that speaks the protocol
  oauth1 debugger      serve the signature debugger page on 127.0.0.1

  oauth1 <command> --help    the options of a command
  oauth1 --version           the version
`;

/** A mistake in how the command was called: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

/** The values of a command's options, by flag name. */
export type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A string option's value. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean option's value. */
export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A repeatable option's values. */
export function list(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : [];
}

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** Parses a command's options; an option of another command, or a typo, is a usage error naming it. */
export function parseCommand(command: CommandName, args: string[]): Values {
  try {
    const { values } = parseArgs({ args, options: COMMANDS[command].options, allowPositionals: false, strict: true });
    return values as Values;
  } catch (err) {
    const e = err as { code?: string; message: string };
    const name = /'(--?[A-Za-z][\w-]*)/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name !== undefined) {
      const bare = name.replace(/^-+/, '');
      const owner = (Object.keys(COMMANDS) as CommandName[]).find((c) => c !== command && Object.hasOwn(COMMANDS[c].options, bare));
      throw new UsageError(owner ? `${name} is an option of "oauth1 ${owner}", not of "oauth1 ${command}"` : `unknown option ${name} for "oauth1 ${command}"`, command);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name !== undefined) {
      throw new UsageError(/argument missing/.test(e.message) ? `${name} needs a value` : `${name} does not take a value`, command);
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const extra = /'([^']*)'/.exec(e.message)?.[1] ?? '';
      throw new UsageError(`unexpected argument "${extra}" for "oauth1 ${command}" (values follow their option: --name value)`, command);
    }
    throw new UsageError(e.message, command);
  }
}

export function pairs(values: string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects name=value, got "${item}"`);
    return [item.slice(0, eq), item.slice(eq + 1)];
  });
}

export function readStdin(): string {
  return readFileSync(0, 'utf8');
}
