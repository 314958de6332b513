/**
 * Properties for the classes of problem of issue 9 ("the tests that would
 * have found them"), over generated requests:
 *
 * - robustness: a corrupted signed request gets a 400 or 401 OAuthError (never
 *   another error, never a secret in the answer), directly and through the
 *   fetch adapter;
 * - careless client records (finding 5);
 * - no existence leak before a valid signature (finding 6);
 * - no replay while the timestamp is inside the window, at ms resolution (7);
 * - the form the application reads is the form that was signed (2);
 * - the memory nonce store's bytes do not grow with the nonce (3);
 * - a failing nonce store is a 503 with Retry-After (9).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { verifyFetchRequest } from '../../src/adapters/fetch.js';
import { verifyNodeRequest } from '../../src/adapters/node.js';
import {
  createMemoryNonceStore,
  createVerifier,
  OAuthError,
  percentEncode,
  type ClientRecord,
  type HttpRequestLike,
  type NonceStore,
  type TokenRecord,
} from '../../src/index.js';
import { caseArb, encodePairs, isRsa, RSA, SIGNATURE_METHODS, type Case } from './arbitraries.js';
import { expectedRefusal } from './deviations.js';
import { ourVerifier, ours, outcome, received, signOrSkip, type PropertyStats } from './harness.js';
import { fromWire, toWire } from './mutation.js';
import { nodeRequest } from './node-request.js';

type Req = { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array };

/** What a verification ended with, whatever was thrown. */
type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };
async function settle(run: () => Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

const canParse = (url: string): boolean => {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------
// Robustness

const CORRUPTIONS = ['url-char', 'query-char', 'header-char', 'header-delete', 'header-dup', 'header-garbage', 'content-type', 'body-char', 'body-bytes', 'method'] as const;
interface Corruption {
  kind: (typeof CORRUPTIONS)[number];
  at: number;
  pick: number;
}
const corruptionArb: fc.Arbitrary<Corruption> = fc.record({ kind: fc.constantFrom(...CORRUPTIONS), at: fc.nat(), pick: fc.nat() });

const NASTY = ['%', '%zz', '%C3', '%ED%A0%80', '"', ',', '=', '\\', ' ', '\t', 'é', '&', '&&', '+', ';', '#', '?', '/', '..', 'oauth_', '\u0000', '\uffff'];
const HEADER_GARBAGE = ['OAuth', 'OAuth ', 'OAuth realm', 'OAuth =', 'OAuth a="', 'OAuth a=b c=d', 'OAuth ,,,', 'OAuth realm="x", realm="y"', 'Basic dXNlcjpwYXNz', 'Bearer x', 'oauth oauth_consumer_key="k"', `OAuth oauth_consumer_key="${'k'.repeat(9000)}"`];
const CONTENT_TYPES = ['application/x-www-form-urlencoded; charset="', 'multipart/form-data; boundary=x', '', ',', ';', 'application/x-www-form-urlencoded, application/json', 'APPLICATION/X-WWW-FORM-URLENCODED', 'text/plain'];
const METHODS = ['GET', 'POST', 'get', 'PROPFIND', 'M-SEARCH', 'X', 'CONNECT'];

const insertAt = (s: string, at: number, what: string, from = 0): string => {
  const i = from + (at % Math.max(1, s.length - from + 1));
  return `${s.slice(0, i)}${what}${s.slice(i)}`;
};

function corrupt(req: Req, k: Corruption): Req {
  const nasty = NASTY[k.pick % NASTY.length] ?? '%';
  const auth = req.headers['Authorization'];
  switch (k.kind) {
    case 'url-char':
      return { ...req, url: insertAt(req.url, k.at, nasty, req.url.indexOf('//') + 2) };
    case 'query-char':
      return { ...req, url: req.url.includes('?') ? insertAt(req.url, k.at, nasty, req.url.indexOf('?') + 1) : `${req.url}?${nasty}` };
    case 'header-char':
      return auth === undefined ? req : { ...req, headers: { ...req.headers, Authorization: insertAt(auth, k.at, nasty, 6) } };
    case 'header-delete': {
      if (auth === undefined || auth.length < 7) return req;
      const i = 6 + (k.at % (auth.length - 6));
      return { ...req, headers: { ...req.headers, Authorization: auth.slice(0, i) + auth.slice(i + 1) } };
    }
    case 'header-dup': {
      if (auth === undefined) return req;
      const parts = auth.slice(6).split(', ');
      return { ...req, headers: { ...req.headers, Authorization: `${auth}, ${parts[k.at % parts.length] ?? 'oauth_nonce="x"'}` } };
    }
    case 'header-garbage':
      return { ...req, headers: { ...req.headers, Authorization: HEADER_GARBAGE[k.pick % HEADER_GARBAGE.length] ?? 'OAuth' } };
    case 'content-type':
      return { ...req, headers: { ...req.headers, 'Content-Type': CONTENT_TYPES[k.pick % CONTENT_TYPES.length] ?? '' } };
    case 'body-char':
      return { ...req, body: insertAt(typeof req.body === 'string' ? req.body : '', k.at, nasty) };
    case 'body-bytes': {
      const bytes = new TextEncoder().encode(typeof req.body === 'string' ? req.body : 'a=1');
      const out = new Uint8Array([...bytes.slice(0, k.at % (bytes.length + 1)), [0xff, 0xc3, 0xed, 0x80][k.pick % 4] ?? 0xff, ...bytes.slice(k.at % (bytes.length + 1))]);
      return { ...req, body: out };
    }
    case 'method':
      return { ...req, method: METHODS[k.pick % METHODS.length] ?? 'GET' };
  }
}

/** A distinctive secret, so that finding it in an answer means it leaked. */
const secretArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 12, maxLength: 20 }).map((s) => `S3CR3T-${s}`);

/**
 * A TypeError a caller of verify() may get: a coded one naming the request
 * argument it was handed (a URL no server could have received, say). Through
 * an adapter there is none: the adapter builds the request.
 */
function callerMistake(err: unknown): boolean {
  return err instanceof TypeError && /^ERR_INVALID_ARG_/.test(String((err as { code?: unknown }).code)) && /"request\./.test(err.message);
}

function checkRefusal(settled: Settled, req: Req, secrets: string[], where: string, allowTypeError: boolean): void {
  if (settled.ok) return;
  const err = settled.error;
  if (allowTypeError && callerMistake(err)) return;
  if (!(err instanceof OAuthError)) throw new Error(`${where}: threw ${(err as Error)?.name ?? typeof err}: ${(err as Error)?.message ?? String(err)}`);
  expect([400, 401], `${where}: status ${err.status} (${err.problem}: ${err.message})`).toContain(err.status);
  const sent = `${req.url} ${JSON.stringify(req.headers)} ${typeof req.body === 'string' ? req.body : ''}`;
  const answer = `${err.message} ${err.body} ${JSON.stringify(err.headers)}`;
  for (const secret of secrets) {
    if (sent.includes(secret) || sent.includes(percentEncode(secret))) continue;
    expect(answer.includes(secret) || answer.includes(percentEncode(secret)), `${where}: the answer holds a secret`).toBe(false);
  }
}

/** A fetch Request for a request, or undefined when fetch itself refuses to build it (no server would receive it). */
function fetchRequest(req: Req): Request | undefined {
  try {
    const hasBody = req.body !== undefined && !['GET', 'HEAD'].includes(req.method.toUpperCase());
    return new Request(req.url, { method: req.method, headers: req.headers, ...(hasBody ? { body: req.body as BodyInit } : {}) });
  } catch {
    return undefined;
  }
}

/**
 * A signed request corrupted in one to three places gets an OAuthError 400 or
 * 401 (or is accepted), directly and through the fetch adapter; never another
 * error (which an adapter answers 500), and never with a secret in it. A
 * TypeError is a programmer's mistake, allowed only for a URL no server could
 * have built.
 */
export function neverCrashes(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, string, string, Corruption[]]> {
  return fc.asyncProperty(caseArb(), secretArb, secretArb, fc.array(corruptionArb, { minLength: 1, maxLength: 3 }), async (base, clientSecret, tokenSecret, corruptions) => {
    stats.cases++;
    const c: Case = { ...base, consumerSecret: clientSecret, token: base.token && { key: base.token.key, secret: tokenSecret } };
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    let req: Req = received(signed) as Req;
    for (const k of corruptions) req = corrupt(req, k);
    const secrets = [clientSecret, tokenSecret];
    const direct = await settle(() => ourVerifier(c).verify(req));
    checkRefusal(direct, req, secrets, 'verify()', true);
    stats.count(direct.ok ? 'accepted' : direct.error instanceof OAuthError ? `refused ${direct.error.status}` : `TypeError${canParse(req.url) ? '' : ' (no URL)'}`);
    for (const form of ['origin', 'absolute'] as const) {
      const incoming = nodeRequest(req, form);
      if (incoming !== undefined) checkRefusal(await settle(() => verifyNodeRequest(ourVerifier(c), incoming)), req, secrets, `verifyNodeRequest() (${form} form)`, false);
    }
    const request = fetchRequest(req);
    if (request === undefined) {
      stats.count('fetch: not a Request');
      return;
    }
    const viaFetch = await settle(() => verifyFetchRequest(ourVerifier(c), request));
    checkRefusal(viaFetch, req, secrets, 'verifyFetchRequest()', false);
  });
}

// ---------------------------------------------------------------------------
// Careless client and token records (finding 5)

const clientRecordArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      secret: fc.constantFrom<unknown>('', undefined, null, 0, ['x'], 'the-secret'),
      publicKey: fc.constantFrom<unknown>(undefined, null, '', 'not a key', 42, RSA.publicSpki),
      signatureMethods: fc.constantFrom<unknown>(undefined, null, 'HMAC-SHA1', 'RSA-SHA1', [], ['HMAC-SHA1'], ['RSA-SHA1'], [42], SIGNATURE_METHODS),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom<unknown>(null, undefined, 'a string', 42, [], true),
);
const tokenRecordArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ secret: fc.constantFrom<unknown>('', undefined, null, 7, 'token-secret'), revoked: fc.constantFrom<unknown>(undefined, true, 'yes', 1), clientKey: fc.constantFrom<unknown>(undefined, 5, 'other') }, { requiredKeys: [] }),
  fc.constantFrom<unknown>(null, undefined, 'a string', 42),
);

/** Whether a verifier can use a client record safely for this method (finding 5's wanted behaviour). */
function usable(record: unknown, method: string): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  const r = record as Record<string, unknown>;
  if (r['signatureMethods'] !== undefined && !(Array.isArray(r['signatureMethods']) && r['signatureMethods'].every((m) => typeof m === 'string'))) return false;
  if (Array.isArray(r['signatureMethods']) && !r['signatureMethods'].includes(method)) return false;
  return isRsa(method) ? r['publicKey'] === RSA.publicSpki : typeof r['secret'] === 'string' && r['secret'].length > 0;
}

/**
 * Whatever a lookup returns, the verifier answers 400/401, never another
 * error; a record it cannot use safely (an empty secret, a missing or broken
 * key, a signatureMethods that is not a list) is refused with 401 even for a
 * request signed with what the record holds.
 */
export function carelessRecords(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, unknown, unknown]> {
  const cases = caseArb({ dotSegments: false }).map((c) => ({ ...c, placement: 'header' as const, token: c.token ?? { key: 'tk', secret: 'token-secret' } }));
  return fc.asyncProperty(cases, clientRecordArb, tokenRecordArb, async (base, record, tokenRecord) => {
    stats.cases++;
    const r = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
    const tr = (typeof tokenRecord === 'object' && tokenRecord !== null ? tokenRecord : {}) as Record<string, unknown>;
    // The request is signed with what the records hold, as someone who knows them would.
    const c: Case = {
      ...base,
      consumerSecret: typeof r['secret'] === 'string' ? r['secret'] : 'guess',
      token: { key: base.token?.key ?? 'tk', secret: typeof tr['secret'] === 'string' ? tr['secret'] : 'guess' },
    };
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req = received(signed);
    // Only requests a sound record would accept say anything about the record.
    const sound = { secret: c.consumerSecret || 'guess', publicKey: RSA.publicSpki };
    if (!(await outcome(() => ourVerifier({ ...c, consumerSecret: sound.secret }).verify(received(ours({ ...c, consumerSecret: sound.secret }))))).ok) {
      stats.count('skipped: refused with a sound record');
      return;
    }
    const verifier = createVerifier({
      lookupClient: () => record as ClientRecord,
      lookupToken: () => tokenRecord as TokenRecord,
      signatureMethods: [...SIGNATURE_METHODS],
      allowPlaintextOverHttp: true,
      clock: () => Number(c.timestamp) * 1000,
    });
    const settled = await settle(() => verifier.verify(req));
    checkRefusal(settled, req as Req, [], 'verify()', false);
    stats.count(settled.ok ? 'accepted' : `refused ${(settled.error as OAuthError).status}`);
    if (!usable(record, c.signatureMethod)) {
      expect(settled.ok, `a client record the verifier cannot use safely was accepted: ${JSON.stringify(record)}`).toBe(false);
      expect((settled as { error: OAuthError }).error.status).toBe(401);
    }
  });
}

// ---------------------------------------------------------------------------
// No existence leak before a valid signature (finding 6)

interface World {
  client: boolean;
  token: boolean;
  revoked: boolean;
  methodAllowed: boolean;
}
const WORLDS: World[] = [];
for (const client of [true, false])
  for (const token of [true, false])
    for (const revoked of token ? [true, false] : [false])
      for (const methodAllowed of [true, false]) WORLDS.push({ client, token, revoked, methodAllowed });

/**
 * A request whose signature is wrong gets the same answer (status, problem,
 * message) after the same lookups, whether or not its client and token exist,
 * the token is revoked, or the client may use the method.
 */
export function noExistenceLeak(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, string]> {
  const cases = caseArb({ dotSegments: false }).map((c) => ({ ...c, placement: 'header' as const, token: c.token ?? { key: 'tk', secret: 'ts' } }));
  const forged = fc.string({ unit: fc.constantFrom(...'ABCDEFGHabcdefgh0123+/='.split('')), minLength: 0, maxLength: 40 });
  return fc.asyncProperty(cases, forged, async (c, signature) => {
    stats.cases++;
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const wire = toWire(received(signed) as Req);
    const header = wire.header ?? { realm: undefined, params: [] };
    const params = header.params.map(([n, v]): [string, string] => [n, n === 'oauth_signature' ? signature : v]);
    const real = header.params.find(([n]) => n === 'oauth_signature')?.[1];
    if (real === signature) return;
    const req = fromWire({ ...wire, header: { ...header, params } });
    const other = c.signatureMethod === 'HMAC-SHA1' ? 'HMAC-SHA256' : 'HMAC-SHA1';
    const answers: string[] = [];
    for (const world of WORLDS) {
      const calls = { client: 0, token: 0 };
      const verifier = createVerifier({
        lookupClient: () => {
          calls.client++;
          return world.client ? { secret: c.consumerSecret, publicKey: RSA.publicSpki, signatureMethods: world.methodAllowed ? [...SIGNATURE_METHODS] : [other] } : undefined;
        },
        lookupToken: () => {
          calls.token++;
          return world.token ? { secret: c.token?.secret ?? '', revoked: world.revoked } : undefined;
        },
        signatureMethods: [...SIGNATURE_METHODS],
        allowPlaintextOverHttp: true,
        clock: () => Number(c.timestamp) * 1000,
      });
      const result = await outcome(() => verifier.verify(req));
      answers.push(JSON.stringify({ ...result, calls }));
    }
    stats.count(`answers: ${new Set(answers).size}`);
    expect(new Set(answers).size, `different answers by world:\n${WORLDS.map((w, i) => `${JSON.stringify(w)} -> ${answers[i]}`).join('\n')}`).toBe(1);
  });
}

// ---------------------------------------------------------------------------
// Replay (finding 7)

/**
 * With the clock at millisecond resolution: a request accepted at t1 is never
 * accepted again at any t2 >= t1 at which its timestamp is still inside the
 * window (RFC 5849 §3.3), whatever the window.
 */
export function noReplayInsideWindow(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, number, number, number, number]> {
  const cases = caseArb({ dotSegments: false }).filter((c) => c.signatureMethod !== 'PLAINTEXT');
  const window = fc.integer({ min: 1, max: 600 });
  return fc.asyncProperty(cases, window, window, fc.integer({ min: 0, max: 1_200_999 }), fc.integer({ min: -2_000, max: 2_000 }), async (c, past, future, firstOffset, nearExpiry) => {
    stats.cases++;
    const T = Number(c.timestamp);
    // First use anywhere the window allows: server time between T - future and T + past (whole seconds), at any millisecond.
    const t1 = (T - future) * 1000 + (firstOffset % ((past + future + 1) * 1000));
    let now = t1;
    const clock = (): number => now;
    const verifier = ourVerifier(c, { clock, timestampWindow: { past, future }, nonceStore: createMemoryNonceStore({ clock }) });
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req = received(signed);
    const first = await outcome(() => verifier.verify(req));
    if (!first.ok) {
      stats.count('first use refused');
      return;
    }
    // Replays around the moment the nonce is forgotten, and one second later.
    for (const t2 of [t1 + (past + future) * 1000 + nearExpiry, t1 + (past + future) * 1000 + nearExpiry + 1000]) {
      if (t2 < t1) continue;
      now = t2;
      const inside = T >= Math.floor(t2 / 1000) - past && T <= Math.floor(t2 / 1000) + future;
      const replay = await outcome(() => verifier.verify(req));
      stats.count(`replay ${inside ? 'inside' : 'outside'} window: ${replay.ok ? 'accepted' : 'refused'}`);
      if (inside) expect(replay, `replayed at t1 + ${t2 - t1} ms with the timestamp inside the window`).toMatchObject({ ok: false });
    }
  });
}

// ---------------------------------------------------------------------------
// The form the application reads (finding 2)

/** Content-Types under which a framework's form parser reads the body (the Fetch "extract a MIME type" rule takes the last type of a list). */
const FORGED_CONTENT_TYPES: ReadonlyArray<readonly string[]> = [
  ['text/plain, application/x-www-form-urlencoded'],
  ['application/json, application/x-www-form-urlencoded'],
  ['application/x-www-form-urlencoded,'],
  ['application/x-www-form-urlencoded, application/x-www-form-urlencoded'],
  ['text/plain', 'application/x-www-form-urlencoded'],
  ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
  ['application/x-www-form-urlencoded'],
];

/**
 * Someone holding a signed request whose body is not a signed form swaps in
 * a form body under a list or repeated Content-Type. If the fetch adapter
 * accepts it, every field `request.formData()` then returns is one the
 * signature covered.
 */
export function formReadAsSigned(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, Array<[string, string]>, number]> {
  const cases = caseArb({ dotSegments: false })
    .filter((c) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.method.toUpperCase()))
    .map((c) => ({ ...c, placement: 'header' as const, body: c.body.kind === 'form' ? ({ kind: 'none' } as const) : c.body, bodyHash: false }));
  const forged = fc.array(fc.tuple(fc.constantFrom('roles', 'user_id', 'amount'), fc.constantFrom('Administrator', '0', '1000000')), { minLength: 1, maxLength: 3 });
  return fc.asyncProperty(cases, forged, fc.nat(), async (c, fields, pick) => {
    stats.cases++;
    const original = signOrSkip(c, stats);
    if (original === undefined) return;
    const signed = received(original);
    const types = FORGED_CONTENT_TYPES[pick % FORGED_CONTENT_TYPES.length] ?? [];
    let request: Request;
    try {
      const headers = new Headers();
      for (const [n, v] of Object.entries(signed.headers)) if (n.toLowerCase() !== 'content-type') headers.set(n, v);
      for (const t of types) headers.append('Content-Type', t);
      request = new Request(signed.url, { method: signed.method, headers, body: encodePairs(fields, 'rfc') });
    } catch {
      // fetch cannot send these headers (a realm outside Latin-1): no server receives the request.
      stats.count('not a Request');
      return;
    }
    const result = await settle(() => verifyFetchRequest(ourVerifier(c), request));
    if (!result.ok) {
      stats.count('refused');
      return;
    }
    let read: Array<[string, string]>;
    try {
      read = [...(await request.formData())].map(([n, v]) => [n, String(v)]);
    } catch {
      stats.count('accepted, not read as a form');
      return;
    }
    stats.count('accepted and read as a form');
    const covered = (result.value as { params: ReadonlyArray<readonly [string, string]> }).params.map(([n, v]) => `${n}=${v}`);
    for (const [n, v] of read) expect(covered, `the application reads ${n}=${v}, which the signature did not cover (Content-Type ${types.join(' + ')})`).toContain(`${n}=${v}`);
  });
}

// ---------------------------------------------------------------------------
// Nonce store size (finding 3)

/** However long the nonces, each accepted request costs the memory store a bounded number of bytes. */
export function nonceStoreBounded(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case[]]> {
  const cases = fc.array(
    caseArb({ dotSegments: false, longNonce: 60_000 }).map((c) => ({ ...c, placement: c.body.kind === 'form' && !c.body.contentType.includes(',') ? ('body' as const) : ('query' as const) })),
    { minLength: 1, maxLength: 5 },
  );
  return fc.asyncProperty(cases, async (list) => {
    stats.cases++;
    const store = createMemoryNonceStore({ clock: () => 0 });
    let accepted = 0;
    for (const c of list) {
      const signed = signOrSkip(c, stats);
      if (signed !== undefined && (await outcome(() => ourVerifier(c, { nonceStore: store }).verify(received(signed)))).ok) accepted++;
    }
    stats.count(`accepted ${accepted}/${list.length}`);
    // The store's documented bound: a key is held as at most 128 characters (longer ones as their hash), plus 96 bytes of overhead.
    expect(store.bytes).toBeLessThanOrEqual(accepted * (96 + 2 * 128));
  });
}

// ---------------------------------------------------------------------------
// A nonce store that fails (finding 9)

const FAILURES: ReadonlyArray<[string, () => NonceStore]> = [
  ['throws', () => ({ consume: () => { throw new Error('ECONNREFUSED 127.0.0.1:6379'); } })],
  ['rejects', () => ({ consume: () => Promise.reject(new Error('Connection is closed.')) })],
  ['rejects with a non-Error', () => ({ consume: () => Promise.reject('down') })],
];

/** A store that cannot answer makes the verifier answer 503 with Retry-After: never accepted, never another error. */
export function storeFailureIs503(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, number]> {
  const cases = caseArb({ dotSegments: false }).filter((c) => c.signatureMethod !== 'PLAINTEXT');
  return fc.asyncProperty(cases, fc.nat(), async (c, pick) => {
    stats.cases++;
    const [name, make] = FAILURES[pick % FAILURES.length] ?? FAILURES[0] ?? ['none', () => createMemoryNonceStore()];
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const req: HttpRequestLike = received(signed);
    if (!(await outcome(() => ourVerifier(c).verify(req))).ok) return;
    const settled = await settle(() => ourVerifier(c, { nonceStore: make() }).verify(req));
    stats.count(name);
    expect(settled.ok, 'accepted although the store could not check the nonce').toBe(false);
    const err = (settled as { error: unknown }).error;
    expect(err, `a failing store (${name}) surfaced as ${String(err)}`).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).status).toBe(503);
    expect((err as OAuthError).headers['Retry-After']).toMatch(/^[0-9]+$/);
  });
}


// ---------------------------------------------------------------------------
// Behind proxies (finding 4)

const junkElement = fc.constantFrom('https', 'http', 'evil.example', 'other-tenant.example', 'for=1.2.3.4;proto=https;host=evil.example', '', 'x y', '%zz', 'example.com:99999');

/** A Forwarded (RFC 7239) element naming proto and host (quoted when it is not a token). */
const forwardedElement = (proto: string, host: string): string => `for=192.0.2.60;proto=${proto};host=${/^[A-Za-z0-9.\-_~]+$/.test(host) ? host : `"${host}"`}`;

/**
 * Behind `hops` trusted proxies, the verifier reads the scheme and host that
 * the outermost trusted proxy wrote, in the header family the deployment
 * names, and nothing a client wrote: whatever a client prepends (or sends in
 * the other family), a request signed for the public URL is accepted when
 * that proxy forwarded the public URL, and refused when it forwarded another
 * host, even if a client-written element names the public one.
 */
export function proxyTrustAsProxiesBehave(stats: PropertyStats): fc.IAsyncPropertyWithHooks<[Case, number, 'x-forwarded' | 'forwarded', string[], boolean]> {
  // PLAINTEXT signs nothing of the request (RFC 5849 §3.4.4), so the host it reaches is not its business.
  const cases = caseArb({ dotSegments: false })
    .filter((c) => c.signatureMethod !== 'PLAINTEXT')
    .map((c) => ({ ...c, placement: 'header' as const }));
  const family = fc.constantFrom('x-forwarded', 'forwarded') as fc.Arbitrary<'x-forwarded' | 'forwarded'>;
  return fc.asyncProperty(cases, fc.integer({ min: 1, max: 3 }), family, fc.array(junkElement, { maxLength: 3 }), fc.boolean(), async (c, hops, headers, junk, honest) => {
    stats.cases++;
    const signed = signOrSkip(c, stats);
    if (signed === undefined) return;
    const publicUrl = new URL(received(signed).url);
    const proto = publicUrl.protocol.slice(0, -1);
    const said = honest ? publicUrl.host : 'other-tenant.example';
    // What the client wrote first, then each proxy from the outermost in: the outermost trusted one says `said`.
    const protos = [...junk, ...(honest ? [] : [proto]), proto, ...Array<string>(hops - 1).fill('http')];
    const hosts = [...junk, ...(honest ? [] : [publicUrl.host]), said, ...Array<string>(hops - 1).fill('10.0.0.5:8080')];
    const req: Req = { ...(received(signed) as Req), url: `http://10.0.0.5:8080${publicUrl.pathname}${publicUrl.search}` };
    if (headers === 'x-forwarded') {
      req.headers = { ...req.headers, 'X-Forwarded-Proto': protos.join(', '), 'X-Forwarded-Host': hosts.join(', '), Forwarded: forwardedElement(proto, publicUrl.host) };
    } else {
      const list = hosts.map((h, i) => (i < junk.length ? (junk[i] ?? '') : forwardedElement(protos[i] ?? 'http', h)));
      req.headers = { ...req.headers, Forwarded: list.join(', '), 'X-Forwarded-Proto': proto, 'X-Forwarded-Host': publicUrl.host };
    }
    const result = await settle(() => ourVerifier(c, { trustProxy: { headers, hops } }).verify(req));
    checkRefusal(result, req, [], 'verify()', false);
    stats.count(`${headers} ${honest ? 'honest' : 'other host'}: ${result.ok ? 'accepted' : 'refused'}`);
    if (honest) {
      // Refused only by a listed rule (deviations.ts) — never because of what a client wrote.
      if (!result.ok) expect(expectedRefusal({ ...signed, url: req.url }, result.error as OAuthError), `refused: ${(result.error as Error).message}`).toBeDefined();
    } else expect(result.ok, 'accepted for a host the trusted proxy did not forward').toBe(false);
  });
}
