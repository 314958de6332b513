/**
 * The signature debugger's work, without the page: sign what the form
 * describes (with the web build's `signAsync`), read what the provider
 * answered, and set the two base strings side by side, parameter by
 * parameter, with the causes `oauth1 explain` names. Pure: no DOM, no
 * network.
 * @module
 * @internal
 */
import { adviceForProblem, compareBaseStrings, parseBaseString, type BaseStringParts } from '../client/explain.js';
import { readPastedAnswer } from '../client/provider-answer.js';
import { signAsync, type SignOptions, type SignedRequest } from '../client/sign.js';
import { percentDecode } from '../core/encoding.js';
import { OAuthError } from '../core/errors.js';
import type { HttpRequestLike } from '../core/request.js';

/** What the form holds, as text (checkboxes as booleans). */
export interface DebuggerInput {
  method: string;
  url: string;
  /** One `Name: value` per line. */
  headers: string;
  body: string;
  signatureMethod: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  privateKey: string;
  realm: string;
  nonce: string;
  timestamp: string;
  callback: string;
  verifier: string;
  placement: 'header' | 'query' | 'body';
  includeVersion: boolean;
  bodyHash: boolean;
  /** The provider's error answer or base string, pasted. */
  provider: string;
}

/** One line of the side-by-side table. */
export interface ComparisonRow {
  part: 'method' | 'uri' | 'parameter';
  name: string;
  /** Our values (one for method and URI; every occurrence of a parameter, encoded as signed). */
  ours: string[];
  theirs: string[];
  differs: boolean;
}

/** Where one of our signed parameters came from. */
export interface SignedParameter {
  name: string;
  /** Decoded. */
  value: string;
  from: 'query' | 'form body' | 'protocol';
}

export interface DebuggerReport {
  signed?: {
    signature: string;
    /** The Authorization header value (placement header). */
    authorization?: string;
    method: string;
    url: string;
    /** The body to send, when there is one (as text). */
    body?: string;
    baseString: string;
    parameters: SignedParameter[];
  };
  /** Why we could not sign (a message that never holds a secret). */
  error?: string;
  /** Things to know about what was signed. */
  notes: string[];
  provider?: { problem?: string; advice?: string; baseString?: string; details: Array<[string, string]> };
  comparison?: {
    identical: boolean;
    rows: ComparisonRow[];
    firstDifference?: { index: number; ours: string; theirs: string };
    hints: string[];
  };
}

/** Parses the headers box: one `Name: value` per line, blank lines ignored. */
export function parseHeaderLines(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new TypeError(`header line ${i + 1} is not "Name: value"`);
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return percentDecode(value);
  } catch {
    return value;
  }
}

/** The nonce and timestamp to sign with: the form's, else the provider's (to reproduce its base string), else fresh ones. */
function protocolValues(input: DebuggerInput, theirs: BaseStringParts | undefined, notes: string[]): Pick<SignOptions, 'nonce' | 'timestamp'> {
  const out: Pick<SignOptions, 'nonce' | 'timestamp'> = {};
  const fromProvider = (name: string): string | undefined => theirs?.parameters.find(([n]) => n === name)?.[1];
  for (const [field, name] of [['nonce', 'oauth_nonce'], ['timestamp', 'oauth_timestamp']] as const) {
    const typed = input[field].trim();
    const provided = fromProvider(name);
    if (typed !== '') out[field] = typed;
    else if (provided !== undefined) {
      out[field] = safeDecode(provided);
      notes.push(`The ${field} is the one in the provider's base string (${name}), so that both sign the same request.`);
    }
  }
  if (out.nonce === undefined || out.timestamp === undefined) {
    notes.push('A fresh nonce or timestamp was used: to compare with a request already sent, copy its oauth_nonce and oauth_timestamp into the form.');
  }
  return out;
}

function requestOf(input: DebuggerInput): HttpRequestLike {
  const body = input.body === '' ? undefined : input.body;
  return { method: input.method.trim() || 'GET', url: input.url.trim(), headers: parseHeaderLines(input.headers), ...(body !== undefined ? { body } : {}) };
}

function optionsOf(input: DebuggerInput, protocol: Pick<SignOptions, 'nonce' | 'timestamp'>): SignOptions {
  const rsa = input.signatureMethod.startsWith('RSA-');
  const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const opts: SignOptions = {
    client: rsa ? { key: input.consumerKey.trim(), privateKey: input.privateKey } : { key: input.consumerKey.trim(), secret: input.consumerSecret },
    signatureMethod: input.signatureMethod,
    ...protocol,
    includeVersion: input.includeVersion,
    placement: input.placement,
    bodyHash: input.bodyHash,
    // The debugger shows what PLAINTEXT over http would send; it sends nothing itself.
    allowPlaintextOverHttp: true,
  };
  if (text(input.token) !== undefined) opts.token = { key: input.token.trim(), secret: input.tokenSecret };
  const realm = text(input.realm);
  const callback = text(input.callback);
  const verifier = text(input.verifier);
  if (realm !== undefined) opts.realm = realm;
  if (callback !== undefined) opts.callback = callback;
  if (verifier !== undefined) opts.verifier = verifier;
  return opts;
}

function signedParameters(signed: SignedRequest, requestUrl: string): SignedParameter[] {
  const queryNames = new Set<string>();
  try {
    new URL(requestUrl).searchParams.forEach((_v, name) => queryNames.add(name));
  } catch {
    // an unreadable URL was refused by signAsync already
  }
  const protocol = new Set(signed.oauthParams.map(([n]) => n));
  return parseBaseString(signed.baseString).parameters.map(([name, value]) => {
    const decoded = safeDecode(name);
    return { name: decoded, value: safeDecode(value), from: protocol.has(decoded) ? 'protocol' : queryNames.has(decoded) ? 'query' : 'form body' };
  });
}

/** Method, URI, then every parameter name of either side in byte order, each with both sides' values. */
export function comparisonRows(ours: BaseStringParts, theirs: BaseStringParts): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    { part: 'method', name: 'method', ours: [ours.method], theirs: [theirs.method], differs: ours.method !== theirs.method },
    { part: 'uri', name: 'base string URI', ours: [ours.uri], theirs: [theirs.uri], differs: ours.uri !== theirs.uri },
  ];
  const values = (parts: BaseStringParts, name: string): string[] => parts.parameters.filter(([n]) => n === name).map(([, v]) => v);
  const names = [...new Set([...ours.parameters, ...theirs.parameters].map(([n]) => n))].sort();
  for (const name of names) {
    const o = values(ours, name);
    const t = values(theirs, name);
    rows.push({ part: 'parameter', name, ours: o, theirs: t, differs: o.length !== t.length || o.join('&') !== t.join('&') });
  }
  return rows;
}

function providerOf(text: string): DebuggerReport['provider'] {
  if (text.trim() === '') return undefined;
  const answer = readPastedAnswer(text);
  const advice = answer.problem === undefined ? undefined : adviceForProblem(answer.problem);
  const details: Array<[string, string]> = [];
  if (answer.advice !== undefined) details.push(['its advice', answer.advice]);
  if (answer.parametersAbsent?.length) details.push(['absent', answer.parametersAbsent.join(', ')]);
  if (answer.parametersRejected?.length) details.push(['rejected', answer.parametersRejected.join(', ')]);
  if (answer.acceptableTimestamps !== undefined) details.push(['acceptable timestamps', answer.acceptableTimestamps]);
  return {
    ...(answer.problem !== undefined ? { problem: answer.problem } : {}),
    ...(advice !== undefined ? { advice } : {}),
    ...(answer.baseString !== undefined ? { baseString: answer.baseString } : {}),
    details,
  };
}

async function signFor(input: DebuggerInput, theirs: BaseStringParts | undefined, report: DebuggerReport): Promise<void> {
  try {
    const request = requestOf(input);
    const signed = await signAsync(request, optionsOf(input, protocolValues(input, theirs, report.notes)));
    const body = signed.body === null ? undefined : typeof signed.body === 'string' ? signed.body : new TextDecoder().decode(signed.body);
    report.signed = {
      signature: signed.signature,
      ...(signed.headers['Authorization'] !== undefined ? { authorization: signed.headers['Authorization'] } : {}),
      method: signed.method,
      url: signed.url,
      ...(body !== undefined ? { body } : {}),
      baseString: signed.baseString,
      parameters: signedParameters(signed, signed.url),
    };
    if (input.signatureMethod === 'PLAINTEXT' && !signed.url.startsWith('https:')) {
      report.notes.push('PLAINTEXT over http sends both secrets in clear: use it over https only.');
    }
  } catch (err) {
    if (!(err instanceof TypeError || err instanceof OAuthError)) throw err;
    report.error = `Cannot sign this request: ${err.message}`;
  }
}

/**
 * Signs what the form describes and compares it with what the provider
 * said. Resolves with nothing to show while the URL is empty.
 */
export async function analyse(input: DebuggerInput): Promise<DebuggerReport> {
  const report: DebuggerReport = { notes: [] };
  const provider = providerOf(input.provider);
  if (provider !== undefined) report.provider = provider;
  const theirs = provider?.baseString === undefined ? undefined : parseBaseString(provider.baseString);
  if (input.url.trim() !== '') await signFor(input, theirs, report);
  if (report.signed !== undefined && provider?.baseString !== undefined && theirs !== undefined) {
    const cmp = compareBaseStrings(report.signed.baseString, provider.baseString);
    report.comparison = {
      identical: cmp.identical,
      rows: comparisonRows(parseBaseString(report.signed.baseString), theirs),
      ...(cmp.firstDifference !== undefined ? { firstDifference: cmp.firstDifference } : {}),
      hints: cmp.hints,
    };
  }
  return report;
}
