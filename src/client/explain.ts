/**
 * "Signature invalid": comparing the base string we signed with the one a
 * provider computed, and saying what usually causes each difference.
 * @module
 */
import { percentDecode } from '../core/encoding.js';
import { invalidArgType } from '../core/errors.js';

/** One parameter-level difference between two base strings. @group Explain */
export interface ParameterDifference {
  name: string;
  /** Encoded values in our base string (empty when we did not sign the name). */
  ours: string[];
  /** Encoded values in the provider's base string. */
  theirs: string[];
}

/** The comparison of two base strings. @group Explain */
export interface BaseStringComparison {
  identical: boolean;
  /** Index of the first differing character, and a window of each string around it. */
  firstDifference?: { index: number; ours: string; theirs: string };
  method?: { ours: string; theirs: string };
  uri?: { ours: string; theirs: string };
  parameters: ParameterDifference[];
  /** What usually causes the differences found, most likely first. */
  hints: string[];
}

/** A signature base string taken apart (see {@link parseBaseString}). @group Explain */
export interface BaseStringParts {
  method: string;
  /** The base string URI, decoded once (as `baseStringUri` gives it). */
  uri: string;
  /** The normalized parameters in their order, names and values still percent-encoded once (as they were signed). */
  parameters: Array<[name: string, value: string]>;
}

function safeDecode(s: string): string {
  try {
    return percentDecode(s);
  } catch {
    return s;
  }
}

/**
 * Takes a signature base string apart: the method, the base string URI and
 * the normalized parameters, the inverse of {@link signatureBaseString}. It
 * reads what a provider printed as it is: an escape that does not decode is
 * left as it was, never refused.
 *
 * @example
 * ```ts
 * parseBaseString('GET&https%3A%2F%2Fa.example%2Fp&a%3D1%26b%3D%2520');
 * // { method: 'GET', uri: 'https://a.example/p', parameters: [['a', '1'], ['b', '%20']] }
 * ```
 * @see RFC 5849 §3.4.1.1
 * @group Explain
 */
export function parseBaseString(baseString: string): BaseStringParts {
  if (typeof baseString !== 'string') throw invalidArgType('baseString', 'a string');
  // A base string is method & enc(uri) & enc(params): the only raw "&"s are those two.
  const [method = '', uri = '', params = ''] = baseString.trim().split('&');
  const parameters: Array<[string, string]> = [];
  const normalized = safeDecode(params);
  if (normalized) {
    for (const pair of normalized.split('&')) {
      const eq = pair.indexOf('=');
      parameters.push(eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]);
    }
  }
  return { method, uri: safeDecode(uri), parameters };
}

interface Split {
  method: string;
  uri: string;
  params: Map<string, string[]>;
  raw: string;
}

function split(base: string): Split {
  const { method, uri, parameters } = parseBaseString(base);
  const map = new Map<string, string[]>();
  for (const [name, value] of parameters) map.set(name, [...(map.get(name) ?? []), value]);
  return { method, uri, params: map, raw: base.trim() };
}

function window(s: string, i: number): string {
  const from = Math.max(0, i - 25);
  return `${from > 0 ? '…' : ''}${s.slice(from, i + 35)}${i + 35 < s.length ? '…' : ''}`;
}

function uriHints(ours: string, theirs: string, hints: string[]): void {
  let a: URL;
  let b: URL;
  try {
    a = new URL(ours);
    b = new URL(theirs);
  } catch {
    hints.push('The base string URIs differ and one of them is not a URL: check how the request URL was built.');
    return;
  }
  if (a.protocol !== b.protocol) {
    hints.push(`Scheme differs (${a.protocol} vs ${b.protocol}): a TLS-terminating proxy in front of the provider often makes it see http; sign the URL the client actually uses, and a server behind a proxy must be told its public URL (publicUrl / trustProxy).`);
  }
  if (a.hostname !== b.hostname) hints.push(`Host differs (${a.hostname} vs ${b.hostname}): sign with the exact host the request is sent to (hosts are compared lowercased).`);
  if (a.port !== b.port || ours.includes(':80/') !== theirs.includes(':80/') || ours.includes(':443/') !== theirs.includes(':443/')) {
    hints.push('Port differs: RFC 5849 §3.4.1.2 drops the default port (80 for http, 443 for https) and keeps any other; one side kept a default port or lost a non-default one.');
  }
  if (a.pathname !== b.pathname) {
    if (safeDecode(a.pathname) === safeDecode(b.pathname)) {
      hints.push(`Path encoding differs (${a.pathname} vs ${b.pathname}): the path must be signed exactly as sent, escapes neither added nor decoded.`);
    } else if (a.pathname.replace(/\/$/, '') === b.pathname.replace(/\/$/, '')) {
      hints.push('A trailing slash differs: sign the path exactly as the request sends it.');
    } else if (a.pathname.replace(/\+/g, '%20') === b.pathname.replace(/\+/g, '%20')) {
      hints.push('A "+" in the path was turned into a space (or back): in a path "+" is a literal plus and stays "+".');
    } else {
      hints.push(`Path differs (${a.pathname} vs ${b.pathname}): a proxy or router may rewrite it; sign the path the provider receives.`);
    }
  }
  if (b.search || b.hash) hints.push('The provider left the query or fragment in the base string URI; RFC 5849 §3.4.1.2 removes both (query parameters go with the other parameters).');
}

function paramHints(diffs: ParameterDifference[], hints: string[]): void {
  for (const d of diffs) {
    const { name, ours, theirs } = d;
    const isOAuth = name.startsWith('oauth_');
    if (theirs.length === 0) {
      hints.push(
        isOAuth
          ? `${name} is in our base string only: the provider did not see it (placed where it does not look?), or ignores it.`
          : `${name} is in our base string only: if it came from a form body, the provider did not read the body as application/x-www-form-urlencoded (check the Content-Type header actually sent); if from the query, the provider lost it.`,
      );
    } else if (ours.length === 0) {
      hints.push(
        isOAuth
          ? `${name} is in the provider's base string only: it signs a protocol parameter we did not send (oauth_version? oauth_body_hash?) — check the provider's documentation for required parameters.`
          : `${name} is in the provider's base string only: it signed a body we did not treat as a form (a form body counts only with Content-Type application/x-www-form-urlencoded), or a parameter added on the way.`,
      );
    } else if (ours.length !== theirs.length) {
      hints.push(`${name} appears ${ours.length}× in ours and ${theirs.length}× in theirs: one side merges or drops repeated names; RFC 5849 §3.4.1.3 keeps every occurrence.`);
    } else {
      const o = ours.map(safeDecode);
      const t = theirs.map(safeDecode);
      if (o.map(safeDecode).join() === t.join() || t.map(safeDecode).join() === o.join()) {
        hints.push(`${name} is encoded twice on one side (${ours[0]} vs ${theirs[0]}): encode each name and value exactly once before normalizing (§3.4.1.3.2), and once more for the base string.`);
      } else if (o.join().replace(/ /g, '+') === t.join().replace(/ /g, '+')) {
        hints.push(`${name}: a "+" and a space were confused (${ours[0]} vs ${theirs[0]}): in a query or form body "+" means a space and is signed as %20; a literal plus is %2B.`);
      } else if (o.join().toLowerCase() === t.join().toLowerCase() && ours.join() !== theirs.join()) {
        hints.push(`${name}: percent-encoding uses different hex case (${ours[0]} vs ${theirs[0]}): RFC 5849 §3.6 requires uppercase.`);
      } else {
        hints.push(`${name} has different values (${ours.join(', ')} vs ${theirs.join(', ')}): the request changed after signing, or the two sides read it differently.`);
      }
    }
  }
}

/**
 * Compares our signature base string with a provider's and explains the
 * differences (method, scheme, host, default ports, path encoding, missing
 * form parameters, repeated names, double encoding, `+` versus space).
 *
 * @example
 * ```ts
 * const { hints } = compareBaseStrings(signed.baseString, providerBaseString);
 * hints.forEach((h) => console.log('-', h));
 * ```
 * @see RFC 5849 §3.4.1
 * @group Explain
 */
export function compareBaseStrings(ours: string, theirs: string): BaseStringComparison {
  if (typeof ours !== 'string') throw invalidArgType('ours', 'a string');
  if (typeof theirs !== 'string') throw invalidArgType('theirs', 'a string');
  const a = split(ours);
  const b = split(theirs);
  const out: BaseStringComparison = { identical: a.raw === b.raw, parameters: [], hints: [] };
  if (out.identical) {
    out.hints.push('The base strings are identical: the difference is in the key. Check both secrets (client and token), that each is percent-encoded once in the key, and the signature method.');
    return out;
  }
  let i = 0;
  while (i < a.raw.length && i < b.raw.length && a.raw[i] === b.raw[i]) i++;
  out.firstDifference = { index: i, ours: window(a.raw, i), theirs: window(b.raw, i) };

  if (a.method !== b.method) {
    out.method = { ours: a.method, theirs: b.method };
    out.hints.push(`The method differs (${a.method} vs ${b.method}): sign the method the request is sent with, in uppercase; a redirect may have turned POST into GET.`);
  }
  if (a.uri !== b.uri) {
    out.uri = { ours: a.uri, theirs: b.uri };
    uriHints(a.uri, b.uri, out.hints);
  }
  for (const name of new Set([...a.params.keys(), ...b.params.keys()])) {
    const o = a.params.get(name) ?? [];
    const t = b.params.get(name) ?? [];
    if (o.length !== t.length || o.join('&') !== t.join('&')) out.parameters.push({ name, ours: o, theirs: t });
  }
  paramHints(out.parameters, out.hints);
  if (out.hints.length === 0) out.hints.push('The strings differ in their encoding only: compare the two windows around the first difference.');
  return out;
}

const PROBLEM_ADVICE: Record<string, string> = {
  signature_invalid: 'The provider computed another signature. Get its base string (many providers log it or return it in debug mode) and run `oauth1 explain` with it; the usual causes are a different URL (scheme, port, proxy), form parameters one side did not sign, or a secret encoded twice.',
  timestamp_refused: "The provider's clock and yours disagree by more than its window: sync the client clock (NTP) and send the timestamp in seconds, not milliseconds.",
  nonce_used: 'The same nonce was sent twice: a retry resent a signed request. Sign again for every attempt.',
  consumer_key_unknown: 'The provider does not know the consumer key: check for whitespace, the environment (sandbox vs production) and the account.',
  consumer_key_rejected: 'The consumer key is known but not allowed here (suspended, or the wrong application type).',
  token_rejected: 'The token is unknown or expired: redo the authorization flow or check sandbox vs production.',
  token_revoked: 'The resource owner or the provider revoked the token: authorize again.',
  signature_method_rejected: 'The provider does not accept this signature method (some require HMAC-SHA256, some refuse PLAINTEXT over http).',
  parameter_absent: 'A required protocol parameter is missing; the provider may list it in oauth_parameters_absent.',
  parameter_rejected: 'A parameter was refused (malformed, duplicated, or sent in two places); the provider may list it in oauth_parameters_rejected.',
  version_rejected: 'Send oauth_version="1.0" or leave it out.',
  verifier_invalid: 'The oauth_verifier does not match the one issued for these temporary credentials, or they were used already.',
};

/**
 * Advice for an `oauth_problem` code a provider sent (OAuth Problem
 * Reporting), or undefined for a code it does not know.
 *
 * @example
 * ```ts
 * adviceForProblem('timestamp_refused');
 * // 'The provider's clock and yours disagree by more than its window: sync the client clock (NTP) …'
 * ```
 * @group Explain
 */
export function adviceForProblem(problem: string): string | undefined {
  return Object.hasOwn(PROBLEM_ADVICE, problem) ? PROBLEM_ADVICE[problem] : undefined;
}
