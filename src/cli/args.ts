/**
 * The command line's options, usage text and the errors it reports as usage
 * mistakes. No side effects.
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import type { parseArgs } from 'node:util';

export const USAGE = `Usage:
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

export const OPTIONS = {
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

/** A mistake in how the command was called: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

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

