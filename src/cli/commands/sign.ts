/**
 * `oauth1 sign` and `oauth1 base-string`.
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import { sign, type SignOptions, type SignedRequest } from '../../client/sign.js';
import { formatForm } from '../../core/encoding.js';
import { appendQuery } from '../../core/request.js';
import { signConformanceRequest, type ConformanceRequest } from '../../conformance/protocol.js';
import { knownSignatureMethods } from '../../methods/registry.js';
import { createProfile, type ProviderProfile } from '../../profiles/providers/index.js';
import { UsageError, flag, list, pairs, readStdin, str, type Values } from '../args.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function runSignJson(values: Values): number {
  const others = Object.keys(values).filter((k) => k !== 'json' && values[k] !== undefined);
  if (others.length) throw new UsageError(`--json reads the whole request from stdin; leave out --${others[0]}`, 'sign');
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

/** --url: absolute http(s), else a usage error in flag terms. */
function checkUrl(value: string | undefined): string {
  if (!value) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be an absolute http(s) URL (got "${value.slice(0, 80)}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an absolute http(s) URL (got a ${url.protocol} URL)`);
  return value;
}

function checkChoices(values: Values): { method: string; signatureMethod: string | undefined; placement: SignOptions['placement'] } {
  const method = (str(values, 'method') ?? 'GET').toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(', ')} (got "${str(values, 'method')}")`);
  const signatureMethod = str(values, 'signature-method');
  if (signatureMethod !== undefined && !knownSignatureMethods().includes(signatureMethod)) {
    throw new UsageError(`--signature-method must be one of ${knownSignatureMethods().join(', ')} (got "${signatureMethod}")`);
  }
  const placement = str(values, 'placement');
  if (placement !== undefined && placement !== 'header' && placement !== 'query' && placement !== 'body') {
    throw new UsageError(`--placement must be header, query or body (got "${placement}")`);
  }
  const timestamp = str(values, 'timestamp');
  if (timestamp !== undefined && !/^[1-9][0-9]{0,15}$/.test(timestamp)) throw new UsageError(`--timestamp must be a positive whole number of seconds (got "${timestamp}")`);
  return { method, signatureMethod, placement };
}

function readPrivateKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`--private-key: cannot read "${file}"${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
}

function profileOf(values: Values): ProviderProfile | undefined {
  const id = str(values, 'provider');
  if (id === undefined) {
    for (const f of ['account', 'base-url', 'app-name', 'sandbox']) if (values[f] !== undefined) throw new UsageError(`--${f} goes with --provider`);
    return undefined;
  }
  const options: Parameters<typeof createProfile>[1] = {};
  const account = str(values, 'account');
  if (account !== undefined) options.account = account;
  const baseUrl = str(values, 'base-url');
  if (baseUrl !== undefined) options.baseUrl = baseUrl;
  const consumerKey = str(values, 'consumer-key');
  if (consumerKey !== undefined) options.consumerKey = consumerKey;
  const name = str(values, 'app-name');
  if (name !== undefined) options.name = name;
  if (flag(values, 'sandbox')) options.sandbox = true;
  return createProfile(id, options);
}

function credentials(values: Values, signatureMethod: string | undefined): Pick<SignOptions, 'client' | 'token'> {
  const key = str(values, 'consumer-key');
  if (!key) throw new UsageError('--consumer-key is required');
  const consumerSecret = str(values, 'consumer-secret') ?? process.env['OAUTH1_CONSUMER_SECRET'];
  const tokenSecret = str(values, 'token-secret') ?? process.env['OAUTH1_TOKEN_SECRET'];
  const client: SignOptions['client'] = { key };
  const keyFile = str(values, 'private-key');
  if (keyFile !== undefined) client.privateKey = readPrivateKey(keyFile);
  if (consumerSecret !== undefined) client.secret = consumerSecret;
  else if (keyFile === undefined && !(signatureMethod ?? '').startsWith('RSA-')) throw new UsageError('--consumer-secret (or OAUTH1_CONSUMER_SECRET) is required');
  const token = str(values, 'token');
  return token === undefined ? { client } : { client, token: { key: token, secret: tokenSecret ?? '' } };
}

function requestOf(values: Values, method: string): { url: string; headers: Record<string, string>; body: string | undefined } {
  const url = checkUrl(str(values, 'url'));
  const form = pairs(list(values, 'form'), '--form');
  const rawBody = str(values, 'body');
  if (form.length > 0 && rawBody !== undefined) throw new UsageError('--form and --body cannot be combined');
  if ((form.length > 0 || rawBody !== undefined) && (method === 'GET' || method === 'HEAD')) throw new UsageError(`--form and --body need a method with a body, not ${method}`);
  const headers: Record<string, string> = {};
  const contentType = str(values, 'content-type');
  let body: string | undefined;
  if (form.length > 0) {
    body = formatForm(form);
    headers['Content-Type'] = contentType ?? 'application/x-www-form-urlencoded';
  } else if (rawBody !== undefined) {
    body = rawBody;
    if (contentType) headers['Content-Type'] = contentType;
  }
  return { url: appendQuery(url, formatForm(pairs(list(values, 'query'), '--query'))), headers, body };
}

/** The options a profile does not set, from flags (a flag given explicitly wins over the profile's value). */
function flagOptions(values: Values, choices: ReturnType<typeof checkChoices>): Partial<SignOptions> {
  const o: Partial<SignOptions> = {};
  if (choices.signatureMethod !== undefined) o.signatureMethod = choices.signatureMethod;
  if (choices.placement !== undefined) o.placement = choices.placement;
  const strings = [['realm', 'realm'], ['callback', 'callback'], ['verifier', 'verifier'], ['nonce', 'nonce'], ['timestamp', 'timestamp']] as const;
  for (const [f, k] of strings) {
    const v = str(values, f);
    if (v !== undefined) o[k] = v;
  }
  if (flag(values, 'no-version')) o.includeVersion = false;
  if (flag(values, 'body-hash')) o.bodyHash = true;
  if (flag(values, 'allow-plaintext-over-http')) o.allowPlaintextOverHttp = true;
  return o;
}

export function signFromOptions(values: Values): { signed: SignedRequest; opts: SignOptions } {
  const choices = checkChoices(values);
  const request = requestOf(values, choices.method);
  const profile = profileOf(values);
  const creds = credentials(values, choices.signatureMethod ?? profile?.signatureMethod);
  const overrides = flagOptions(values, choices);
  let opts: SignOptions;
  if (profile) {
    profile.checkUrl(request.url);
    opts = profile.signOptions(creds, overrides);
  } else {
    opts = { ...creds, signatureMethod: 'HMAC-SHA1', ...overrides };
  }
  return { signed: sign({ method: choices.method, ...request }, opts), opts };
}

function carrier(signed: SignedRequest, opts: SignOptions): string {
  if (signed.headers['Authorization'] !== undefined) return signed.headers['Authorization'];
  return opts.placement === 'query' ? signed.url : typeof signed.body === 'string' ? signed.body : '';
}

function curl(signed: SignedRequest): string {
  const parts = ['curl', '-X', signed.method];
  for (const [n, v] of Object.entries(signed.headers)) parts.push('-H', shellQuote(`${n}: ${v}`));
  if (signed.body !== null) parts.push('--data-raw', shellQuote(typeof signed.body === 'string' ? signed.body : new TextDecoder().decode(signed.body)));
  parts.push(shellQuote(signed.url));
  return parts.join(' ');
}

export function runSignHuman(values: Values, baseStringOnly: boolean): number {
  const { signed, opts } = signFromOptions(values);
  let out: string;
  if (baseStringOnly || flag(values, 'base-string')) out = signed.baseString;
  else if (flag(values, 'curl')) out = curl(signed);
  else if (flag(values, 'verbose')) {
    const label = signed.headers['Authorization'] !== undefined ? 'Authorization' : opts.placement === 'query' ? 'URL' : 'Body';
    out = [`${label}: ${carrier(signed, opts)}`, `Base string: ${signed.baseString}`, `Signature method: ${opts.signatureMethod ?? 'HMAC-SHA1'}`].join('\n');
  } else out = carrier(signed, opts);
  process.stdout.write(`${out}\n`);
  return 0;
}
