/**
 * What the property-based tests share: our side of a case (sign() and a
 * verifier that knows the case's credentials), the request as it travels,
 * and the figures a run collects.
 */
import {
  createVerifier,
  formatForm,
  OAuthError,
  sign,
  type HttpRequestLike,
  type NonceStore,
  type SignedRequest,
  type Verifier,
  type VerifierOptions,
} from '../../src/index.js';
import { caseUrl, isRsa, RSA, SIGNATURE_METHODS, type Case } from './arbitraries.js';
import { signerRefusal } from './deviations.js';

/** Appends encoded pairs to a URL as oauthlib_sign.py does (before any fragment). */
export function appendPairs(url: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return url;
  const encoded = formatForm(pairs);
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${encoded}${hashAt === -1 ? '' : url.slice(hashAt)}`;
}

/** The request a case describes, before signing. */
export function unsignedRequest(c: Case): HttpRequestLike & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const req: HttpRequestLike & { headers: Record<string, string> } = { method: c.method, url: appendPairs(caseUrl(c), c.query), headers };
  if (c.body.kind !== 'none') {
    req.body = c.body.text;
    if (c.body.contentType !== undefined) headers['Content-Type'] = c.body.contentType;
  }
  return req;
}

/** sign() over a case, with the case's nonce and timestamp. */
export function ours(c: Case): SignedRequest {
  return sign(unsignedRequest(c), {
    client: isRsa(c.signatureMethod)
      ? { key: c.consumerKey, privateKey: c.rsaKey === 'pkcs8' ? RSA.privatePkcs8 : RSA.privatePkcs1 }
      : { key: c.consumerKey, secret: c.consumerSecret },
    token: c.token ?? undefined,
    signatureMethod: c.signatureMethod,
    nonce: c.nonce,
    timestamp: c.timestamp,
    realm: c.realm ?? undefined,
    extraOAuthParams: c.extraOAuth,
    includeVersion: c.includeVersion,
    bodyHash: c.bodyHash,
    placement: c.placement,
    allowPlaintextOverHttp: true,
  });
}

/**
 * sign() over a case; undefined (and counted) when sign() refuses it by a
 * listed rule (deviations.ts, SIGNER_REFUSALS). Any other throw is rethrown.
 */
export function signOrSkip(c: Case, stats: PropertyStats): SignedRequest | undefined {
  try {
    return ours(c);
  } catch (err) {
    const rule = signerRefusal(c, err);
    if (rule === undefined) throw err;
    stats.excuse(`sign() refuses: ${rule.id}`);
    return undefined;
  }
}

/** A fresh verifier that knows the case's client (secret and RSA public key) and token, with its clock at the case's timestamp. */
export function ourVerifier(c: Case, extra: Partial<VerifierOptions> & { nonceStore?: NonceStore } = {}): Verifier {
  return createVerifier({
    lookupClient: (key) => (key === c.consumerKey ? { secret: c.consumerSecret, publicKey: RSA.publicSpki } : undefined),
    lookupToken: (key) => (c.token !== null && key === c.token.key ? { secret: c.token.secret } : undefined),
    tokenRequired: false,
    signatureMethods: [...SIGNATURE_METHODS],
    allowPlaintextOverHttp: true,
    // RFC 5849 §3.4.2 allows an empty client secret; the verifier accepts one only when told (careless-records checks the default).
    allowEmptySecret: true,
    clock: () => Number(c.timestamp) * 1000,
    ...extra,
  });
}

/**
 * The URL as fetch sends it: the WHATWG serialization (what a server then
 * receives, and what oauthlib's endpoint is handed).
 */
export function wireUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/** A request as a server receives it. */
export interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** A signed request as our verifier is handed it after the trip through fetch. */
export function received(signed: SignedRequest): Received {
  const req: Received = { method: signed.method, url: wireUrl(signed.url), headers: { ...signed.headers } };
  if (signed.body !== null) req.body = signed.body;
  return req;
}

/** How a verification ended: accepted, or the OAuthError's status and problem. Anything else is thrown on. */
export type Outcome = { ok: true } | { ok: false; status: number; problem: string; message: string };

export async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return { ok: true };
  } catch (err) {
    if (err instanceof OAuthError) return { ok: false, status: err.status, problem: err.problem, message: err.message };
    throw err;
  }
}

/** Figures of one property over a run. */
export class PropertyStats {
  cases = 0;
  /** Cases where a listed deviation or refusal excused a comparison, by id. */
  readonly excused = new Map<string, number>();
  /** Anything else worth counting (outcomes, mutation kinds). */
  readonly counts = new Map<string, number>();

  excuse(id: string): void {
    this.excused.set(id, (this.excused.get(id) ?? 0) + 1);
  }

  count(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  summary(): string {
    const list = (m: Map<string, number>): string =>
      [...m]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
    return `${this.cases} cases${this.excused.size ? `; excused: ${list(this.excused)}` : ''}${this.counts.size ? `; ${list(this.counts)}` : ''}`;
  }
}
