/**
 * A stand-in for an OAuth 1.0 provider: a node:http server on loopback,
 * built on this library's verifier, that plays the three endpoints of RFC
 * 5849 §2, the authorization page and an API, and enforces the rules a
 * provider documents (each stand-in passes its own through `rules`).
 *
 * Clients address the provider's real URLs (https://api.x.com/...); the
 * stand-in's `fetch` sends them to loopback with X-Forwarded-Proto/-Host, and
 * the verifier (trustProxy) rebuilds the public URL from those, so base
 * strings are those of the real host.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createVerifier, generateCredentials, OAuthError, type ClientRecord, type SignatureMethod, type VerifiedRequest } from '../../src/index.js';

export interface StandInRequest {
  method: string;
  /** The public URL (scheme and host from the forwarded headers). */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Refusal {
  status: number;
  problem: string;
  message: string;
}

export interface Rules {
  name: string;
  signatureMethods: SignatureMethod[];
  clients: Record<string, ClientRecord>;
  /** Endpoints by path (on any host the stand-in plays). */
  paths: {
    temporary?: { path: string; method: 'GET' | 'POST' };
    authorize?: string;
    token?: { path: string; method: 'GET' | 'POST' };
    /** Requests whose path starts with this are API calls. */
    api: string;
  };
  /** API calls need token credentials (three-legged). Default true. */
  tokenRequired?: boolean;
  requireBodyHash?: boolean;
  allowPlaintextOverHttp?: boolean;
  timestampWindow?: { past: number; future: number };
  /** Whether the temporary credentials answer carries oauth_callback_confirmed=true. Default true. */
  confirmsCallback?: boolean;
  /** A documented rule the request breaks, checked before the signature. */
  before?(req: StandInRequest, endpoint: 'temporary' | 'token' | 'api'): Refusal | undefined;
  /** A documented rule a verified request breaks. */
  after?(req: StandInRequest, verified: VerifiedRequest, endpoint: 'temporary' | 'token' | 'api'): Refusal | undefined;
  /** The authorization page's own checks of its query (the parameters it documents). */
  authorize?(query: URLSearchParams): Refusal | undefined;
  /** The provider's error format. Default: a form body with oauth_problem and WWW-Authenticate. */
  format?(refusal: Refusal, req: StandInRequest, debug: { baseString?: string }): Answer;
}

export interface StandIn {
  /** A fetch that sends the provider's URLs to the stand-in. */
  fetch: typeof fetch;
  /** Every request the stand-in received, with its verification outcome. */
  log: Array<{ req: StandInRequest; verified?: VerifiedRequest; refusal?: Refusal }>;
  /** Issues token credentials directly (as a provider's UI does for NetSuite, WooCommerce keys, …). */
  issueToken(): { key: string; secret: string };
  close(): Promise<void>;
}

function defaultFormat(r: Refusal): Answer {
  const e = new OAuthError(r.status, r.problem, r.message);
  return { status: r.status, headers: e.headers, body: `${e.body}&oauth_problem_advice=${encodeURIComponent(r.message)}` };
}

export async function startStandIn(rules: Rules): Promise<StandIn> {
  const temporary = new Map<string, { secret: string; verifier?: string; callback: string }>();
  const tokens = new Map<string, { secret: string }>();
  const log: StandIn['log'] = [];
  let lastBaseString: string | undefined;

  const verifier = createVerifier({
    lookupClient: (key) => rules.clients[key],
    lookupToken: (t) => tokens.get(t) ?? temporary.get(t),
    tokenRequired: false,
    trustProxy: true,
    signatureMethods: rules.signatureMethods,
    allowPlaintextOverHttp: rules.allowPlaintextOverHttp ?? false,
    requireBodyHash: rules.requireBodyHash ?? false,
    ...(rules.timestampWindow ? { timestampWindow: rules.timestampWindow } : {}),
    onDebug: (info) => {
      lastBaseString = info.baseString;
    },
  });

  const endpointOf = (req: StandInRequest): 'temporary' | 'token' | 'authorize' | 'api' | undefined => {
    const p = req.url.pathname;
    if (rules.paths.temporary && p === rules.paths.temporary.path) return 'temporary';
    if (rules.paths.token && p === rules.paths.token.path) return 'token';
    if (rules.paths.authorize && p === rules.paths.authorize) return 'authorize';
    if (p.startsWith(rules.paths.api)) return 'api';
    return undefined;
  };

  async function handle(req: StandInRequest): Promise<Answer> {
    const endpoint = endpointOf(req);
    const entry: StandIn['log'][number] = { req };
    log.push(entry);
    const refuse = (r: Refusal): Answer => {
      entry.refusal = r;
      return (rules.format ?? defaultFormat)(r, req, lastBaseString === undefined ? {} : { baseString: lastBaseString });
    };
    if (endpoint === undefined) return { status: 404, body: 'no such endpoint' };

    if (endpoint === 'authorize') {
      // The resource owner approves at once; the page checks only what the provider documents.
      const q = req.url.searchParams;
      const pageRefusal = rules.authorize?.(q);
      if (pageRefusal) return refuse(pageRefusal);
      const key = q.get('oauth_token') ?? '';
      const temp = temporary.get(key);
      if (!temp) return refuse({ status: 400, problem: 'token_rejected', message: 'unknown request token' });
      temp.verifier = generateCredentials().key.slice(0, 12);
      const callback = q.get('oauth_callback') ?? temp.callback;
      if (callback === 'oob') return { status: 200, headers: { 'content-type': 'text/plain' }, body: `verifier=${temp.verifier}` };
      const to = new URL(callback);
      to.searchParams.set('oauth_token', key);
      to.searchParams.set('oauth_verifier', temp.verifier);
      return { status: 302, headers: { location: to.href } };
    }

    const expected = endpoint === 'temporary' ? rules.paths.temporary!.method : endpoint === 'token' ? rules.paths.token!.method : undefined;
    if (expected !== undefined && req.method !== expected) {
      return refuse({ status: 405, problem: 'parameter_rejected', message: `${req.url.pathname} takes ${expected}` });
    }
    const early = rules.before?.(req, endpoint);
    if (early) return refuse(early);
    lastBaseString = undefined;
    let verified: VerifiedRequest;
    try {
      verified = await verifier.verify({ method: req.method, url: `http://stand-in${req.url.pathname}${req.url.search}`, headers: req.headers, body: req.body });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return refuse({ status: err.status, problem: err.problem, message: err.message });
    }
    entry.verified = verified;
    const late = rules.after?.(req, verified, endpoint);
    if (late) return refuse(late);
    const oauth = new Map(verified.oauthParams);

    if (endpoint === 'temporary') {
      if (verified.tokenKey) return refuse({ status: 400, problem: 'parameter_rejected', message: 'a temporary credentials request carries no token' });
      const callback = oauth.get('oauth_callback');
      if (callback === undefined) return refuse({ status: 400, problem: 'parameter_absent', message: 'oauth_callback is required' });
      const cred = generateCredentials();
      temporary.set(cred.key, { secret: cred.secret, callback });
      const confirmed = rules.confirmsCallback === false ? '' : '&oauth_callback_confirmed=true';
      return { status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `oauth_token=${cred.key}&oauth_token_secret=${cred.secret}${confirmed}` };
    }
    if (endpoint === 'token') {
      const temp = temporary.get(verified.tokenKey ?? '');
      if (!temp) return refuse({ status: 401, problem: 'token_rejected', message: 'not a request token' });
      if (temp.verifier === undefined || oauth.get('oauth_verifier') !== temp.verifier) {
        return refuse({ status: 401, problem: 'verifier_invalid', message: 'the verifier does not match' });
      }
      temporary.delete(verified.tokenKey!);
      const cred = generateCredentials();
      tokens.set(cred.key, { secret: cred.secret });
      return { status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `oauth_token=${cred.key}&oauth_token_secret=${cred.secret}` };
    }
    // API
    if ((rules.tokenRequired ?? true) && !tokens.has(verified.tokenKey ?? '')) {
      return refuse({ status: 401, problem: 'token_rejected', message: 'an API call needs token credentials' });
    }
    if (verified.tokenKey && temporary.has(verified.tokenKey)) return refuse({ status: 401, problem: 'token_rejected', message: 'a request token cannot call the API' });
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: true, url: verified.url, params: verified.params, consumerKey: verified.consumerKey, token: verified.tokenKey ?? null }),
    };
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const proto = String(req.headers['x-forwarded-proto'] ?? 'http');
    const host = String(req.headers['x-forwarded-host'] ?? req.headers.host);
    const r: StandInRequest = { method: req.method!, url: new URL(`${proto}://${host}${req.url}`), headers: req.headers, body: Buffer.concat(chunks) };
    const answer = await handle(r).catch((err: unknown) => ({ status: 500, body: String(err) }) as Answer);
    res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const loopback = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const routed = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const request = input instanceof Request ? input : undefined;
    const target = new URL(request ? request.url : String(input));
    const headers = new Headers(init.headers ?? request?.headers);
    headers.set('x-forwarded-proto', target.protocol.slice(0, -1));
    headers.set('x-forwarded-host', target.host);
    const out: RequestInit = { ...init, headers, redirect: 'manual' };
    if (request && init.body === undefined && request.body !== null) out.body = await request.arrayBuffer();
    if (request && init.method === undefined) out.method = request.method;
    return fetch(`${loopback}${target.pathname}${target.search}`, out);
  }) as typeof fetch;

  return {
    fetch: routed,
    log,
    issueToken() {
      const cred = generateCredentials();
      tokens.set(cred.key, { secret: cred.secret });
      return cred;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Follows an authorization URL on the stand-in and returns the verifier it hands back (redirect or out of band). */
export async function approve(standIn: StandIn, authorizationUrl: string): Promise<{ verifier: string; location?: URL; status: number; body: string }> {
  const res = await standIn.fetch(authorizationUrl);
  const body = await res.text();
  if (res.status === 302) {
    const location = new URL(res.headers.get('location')!);
    return { verifier: location.searchParams.get('oauth_verifier') ?? '', location, status: 302, body };
  }
  const m = /verifier=([A-Za-z0-9_-]+)/.exec(body);
  return { verifier: m?.[1] ?? '', status: res.status, body };
}
