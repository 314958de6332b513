/**
 * `oauth1 sign` and `oauth1 base-string`.
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import { sign, type SignOptions } from '../../client/sign.js';
import { formatForm } from '../../core/encoding.js';
import { appendQuery } from '../../core/request.js';
import { signConformanceRequest, type ConformanceRequest } from '../../conformance/protocol.js';
import { UsageError, pairs, readStdin, type Values } from '../args.js';

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function runSignJson(): number {
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

export function signFromOptions(values: Values) {
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

export function runSignHuman(values: Values, baseStringOnly: boolean): number {
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

