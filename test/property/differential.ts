/**
 * Differential properties between this library and python3-oauthlib, over
 * generated requests (test/property/arbitraries.ts). Each builder returns a
 * fast-check property; the short run (differential.test.ts) and the long
 * run (`npm run fuzz`) drive the same properties with different numbers of
 * cases.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { parseAuthorizationHeader, type SignedRequest } from '../../src/index.js';
import type { OauthlibWorker } from '../helpers/oauthlib-worker.js';
import { caseArb, caseUrl, isRsa, RSA, toProtocol, type Case, type CaseOptions } from './arbitraries.js';
import { deviationsFor, expectedRefusal, oauthlibRefusesToo, type Comparison } from './deviations.js';
import { appendPairs, ourVerifier, outcome, received, signOrSkip, wireUrl, type PropertyStats } from './harness.js';

type Pairs = Array<[string, string]>;

/** The protocol parameters of a header, sorted, without the signature. */
function headerParams(authorization: string | null | undefined): Pairs {
  const parsed = parseAuthorizationHeader(authorization ?? '');
  if (parsed === null) throw new Error(`not an OAuth header: ${authorization}`);
  return sortedWithoutSignature(parsed.params);
}

function sortedWithoutSignature(params: ReadonlyArray<readonly [string, string]>): Pairs {
  return params
    .filter(([n]) => n !== 'oauth_signature')
    .map(([n, v]) => [n, v] as [string, string])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
}

/** Excuses a difference when a listed deviation covers this case; else fails with `what`. */
function excuseOrFail(c: Case, comparison: Comparison, stats: PropertyStats, what: string): void {
  const excused = deviationsFor(c, comparison);
  if (excused.length === 0) throw new Error(what);
  for (const d of excused) stats.excuse(d.id);
}

/** Our verifier's answer to a request we expect it to accept: accepted, or refused by a listed rule. */
async function expectAccepted(
  c: Case,
  signed: SignedRequest,
  req: Parameters<ReturnType<typeof ourVerifier>['verify']>[0],
  stats: PropertyStats,
  comparison: Comparison | null,
): Promise<boolean> {
  const result = await outcome(() => ourVerifier(c).verify(req));
  if (result.ok) return true;
  const rule = expectedRefusal(signed, result);
  if (rule !== undefined) {
    stats.excuse(rule.id);
    return false;
  }
  const what = `our verifier refused (${result.status} ${result.problem}: ${result.message})`;
  if (comparison === null) throw new Error(what);
  excuseOrFail(c, comparison, stats, what);
  return false;
}

/**
 * oauthlib's Client and sign() agree on the base string, the signature and
 * the protocol parameters sent; and our verifier accepts the request as
 * oauthlib's Client signed it.
 */
export function clientAgreement(worker: OauthlibWorker, stats: PropertyStats, opts: CaseOptions = {}): fc.IAsyncPropertyWithHooks<[Case]> {
  return fc.asyncProperty(caseArb({ dotSegments: false, ...opts }), async (c) => {
    stats.cases++;
    const theirs = await worker.sign(toProtocol(c));
    const mine = signOrSkip(c, stats);
    if (mine === undefined) return;
    if (theirs.error !== undefined) {
      const d = deviationsFor(c, 'sign').find((x) => x.symptom?.test(theirs.error ?? ''));
      if (d === undefined) throw new Error(`oauthlib's Client raised: ${theirs.error}`);
      stats.excuse(d.id);
      return;
    }
    if (theirs.base_string !== mine.baseString || theirs.signature !== mine.signature) {
      excuseOrFail(c, 'sign', stats, `base string or signature differ\n ours:     ${mine.baseString}\n oauthlib: ${theirs.base_string}`);
      return;
    }
    stats.count('agreed');
    if (deviationsFor(c, 'sign').some((d) => d.id === 'realm-unescaped')) stats.excuse('realm-unescaped');
    else expect(headerParams(theirs.authorization)).toEqual(sortedWithoutSignature(mine.oauthParams));

    // What oauthlib's Client would send, handed to our verifier.
    const headers: Record<string, string> = { Authorization: theirs.authorization ?? '' };
    if (c.body.kind !== 'none' && c.body.contentType !== undefined) headers['Content-Type'] = c.body.contentType;
    const req = { method: c.method.toUpperCase(), url: wireUrl(appendPairs(caseUrl(c), c.query)), headers, ...(c.body.kind === 'none' ? {} : { body: c.body.text }) };
    const asSent: SignedRequest = { ...mine, url: req.url, headers };
    if (await expectAccepted(c, asSent, req, stats, 'reverse')) stats.count('ours-accepted-theirs');
  });
}

/**
 * What sign() produces, after the trip through fetch, is accepted by
 * oauthlib's endpoints and by our verifier.
 */
export function acceptedByBoth(worker: OauthlibWorker, stats: PropertyStats, opts: CaseOptions = {}): fc.IAsyncPropertyWithHooks<[Case]> {
  return fc.asyncProperty(caseArb({ timestamps: 'ten-digits', ...opts }), async (c) => {
    stats.cases++;
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req = received(signed);
    const asReceived: SignedRequest = { ...signed, url: req.url };
    if (await expectAccepted(c, asReceived, req, stats, null)) stats.count('ours-accepted');

    const verdict = await worker.verify({
      uri: req.url,
      method: req.method,
      body: typeof req.body === 'string' ? req.body : '',
      headers: Object.entries(req.headers),
      now: Number(c.timestamp),
      creds: {
        client_key: c.consumerKey,
        client_secret: c.consumerSecret,
        token: c.token?.key ?? null,
        token_secret: c.token?.secret ?? null,
        rsa_public_key_pem: isRsa(c.signatureMethod) ? RSA.publicSpki : null,
      },
    });
    if (verdict.error !== undefined) throw new Error(`oauthlib's endpoint raised: ${verdict.error}`);
    if (verdict.valid) {
      stats.count('oauthlib-accepted');
      return;
    }
    const shared = oauthlibRefusesToo(asReceived);
    if (shared !== undefined) {
      stats.excuse(`${shared.id} (oauthlib)`);
      return;
    }
    excuseOrFail(c, 'endpoint', stats, `oauthlib's endpoint refused: ${verdict.reason}\n our base string:      ${signed.baseString}\n oauthlib's (server): ${verdict.base_string}`);
  });
}

/**
 * Issue 9, finding 1: a path with dot segments or backslashes. sign() signs
 * the URL exactly as it hands it back to be sent (the WHATWG reading, which
 * is what fetch sends; RFC 5849 §3.4.1.2: the base string URI is the
 * request's own); our verifier accepts that request as received; and
 * oauthlib, given the same URL, signs the same base string.
 */
export function pathAsSent(worker: OauthlibWorker, stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case]> {
  const dotted = caseArb().filter((c) => /(^|\/|\\)(\.|%2e){1,2}($|\/|\\)|\\/i.test(c.path) && !/[^\x00-\x7f]/.test(c.path + c.rawQuery));
  return fc.asyncProperty(dotted, async (c) => {
    stats.cases++;
    const mine = signOrSkip(c, stats);
    if (mine === undefined) return;
    const sentPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(mine.url)?.[1] ?? '';
    const signedUri = decodeURIComponent(mine.baseString.split('&')[1] ?? '');
    expect(signedUri.endsWith(sentPath), `signed ${signedUri}, sends ${sentPath}`).toBe(true);
    expect(wireUrl(mine.url), 'sign() hands back a URL that fetch would rewrite').toBe(mine.url.replace(/#.*$/, ''));
    const req = received(mine);
    if (await expectAccepted(c, { ...mine, url: req.url }, req, stats, null)) stats.count('ours-accepted');
    const theirs = await worker.sign({ ...toProtocol(c), url: wireUrl(caseUrl(c)) });
    if (theirs.error !== undefined) {
      const d = deviationsFor(c, 'sign').find((x) => x.symptom?.test(theirs.error ?? ''));
      if (d === undefined) throw new Error(`oauthlib's Client raised: ${theirs.error}`);
      stats.excuse(d.id);
    } else if (theirs.base_string !== mine.baseString) {
      excuseOrFail(c, 'sign', stats, `base string differs\n ours:     ${mine.baseString}\n oauthlib: ${theirs.base_string}`);
    } else stats.count('oauthlib agrees');
  });
}
