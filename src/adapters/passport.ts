/**
 * Passport strategies for OAuth 1.0 providers: drop-in successors of
 * passport-http-oauth's `ConsumerStrategy` and `TokenStrategy` (unmaintained
 * since 2013), taking the same callbacks, built on {@link createVerifier}.
 *
 * What stays as passport-http-oauth users wrote it:
 * - the constructor, `new ConsumerStrategy([options], consumer, token, [validate])`
 *   and `new TokenStrategy([options], consumer, verify, [validate])`;
 * - the callbacks and their `done` shapes: `consumer(consumerKey, done)` →
 *   `done(err, consumer, consumerSecret)`; `token(requestToken, done)` →
 *   `done(err, tokenSecret, info)`; `verify(accessToken, done)` →
 *   `done(err, user, tokenSecret, info)`; `validate(timestamp, nonce, done)`
 *   → `done(err, ok)`; `done(null, false)` for "unknown";
 * - `req.user` (the consumer, or the user) and `req.authInfo` (`scheme`,
 *   `oauth.callbackURL` or `oauth.token` and `oauth.verifier`, `consumer`
 *   and `client`, plus the callbacks' `info`); the strategy name `'oauth'`;
 *   the `realm` (`'Clients'`, `'Users'`) and `host` options.
 *
 * What changes: the request is checked by this library's verifier (every
 * HMAC and RSA method, PLAINTEXT only over https and only when listed, the
 * timestamp window, a nonce store on by default, constant-time comparison,
 * form and body-hash bodies checked over the bytes sent); `req.authInfo.verified`
 * holds the {@link VerifiedRequest}; failures carry the OAuth problem in
 * `WWW-Authenticate`; a callback that gives a consumer or token without a
 * string secret is answered 401 like an unknown key (the cause goes to
 * `onDebug`), never a 500; a token whose `info.clientKey` names another
 * consumer is refused; and the verifier's options (`nonceStore`,
 * `signatureMethods`, `timestampWindow`, `publicUrl`, `trustProxy`…) may be
 * given in `options`. `ignoreVersion` is refused: a version other than 1.0
 * is not OAuth 1.0 (RFC 5849 §3.1).
 *
 * passport is an optional peer dependency: nothing of it is imported.
 *
 * @module oauth1/passport
 */
import { OAuthError, invalidArgValue, problemFactory } from '../core/errors.js';
import { fn, object, optionalString } from '../core/validate.js';
import { createVerifier } from '../server/verifier/index.js';
import type { LookupContext, VerifiedRequest, VerifierOptions } from '../server/verifier/types.js';
import { resolveNodeBody, withParserCharset, type BodyKind } from './node-io.js';
import { adapterExtra, adapterSettings, firstOfListOrigin, frameworkOrigin, nodeHeaders, nodeRequestUrl, type AdapterSettings, type NodeRequestLike } from './contract.js';

export { keepRawBody } from './node-io.js';
export { OAuthError, type AdapterName, type VerifiedRequest } from './contract.js';

/** A node-style callback as passport-http-oauth's callbacks receive it. @group Passport */
export type Done<A extends unknown[]> = (err: unknown, ...results: A) => void;

/**
 * `consumer(consumerKey, done)`: calls `done(null, consumer, consumerSecret)`,
 * `done(null, false)` for an unknown key, or `done(err)`.
 *
 * @example
 * ```ts
 * const consumer: ConsumerCallback<{ id: string; secret: string }> = (key, done) =>
 *   db.consumers.find(key).then((c) => done(null, c ?? false, c?.secret), done);
 * ```
 * @group Passport
 */
export type ConsumerCallback<Consumer> = (consumerKey: string, done: Done<[consumer?: Consumer | false | null, consumerSecret?: string]>) => void;

/**
 * `token(requestToken, done)` of {@link ConsumerStrategy}: calls
 * `done(null, tokenSecret, info)` for temporary credentials (a request
 * token), `done(null, false)` for unknown ones, or `done(err)`. `info` goes
 * to `req.authInfo`; `info.clientKey`, when given, is the consumer the token
 * was issued to, and no other consumer may use it.
 *
 * @example
 * ```ts
 * const token: RequestTokenCallback = (key, done) =>
 *   db.requestTokens.find(key).then((t) => done(null, t?.secret ?? false, { verifier: t?.verifier }), done);
 * ```
 * @group Passport
 */
export type RequestTokenCallback = (requestToken: string, done: Done<[tokenSecret?: string | false | null, info?: object]>) => void;

/**
 * `verify(accessToken, done)` of {@link TokenStrategy}: calls
 * `done(null, user, tokenSecret, info)`, `done(null, false)` for an unknown
 * or revoked token, or `done(err)`. `user` goes to `req.user`, `info` to
 * `req.authInfo`. Give `info.clientKey`, the consumer the token was issued
 * to: the strategy then refuses the token from any other consumer (401
 * `token_rejected`), which passport-http-oauth never checked.
 *
 * @example
 * ```ts
 * const verify: AccessTokenCallback<{ id: string }> = (key, done) =>
 *   db.accessTokens.find(key).then((t) => (t ? done(null, { id: t.userId }, t.secret, { scope: t.scope }) : done(null, false)), done);
 * ```
 * @group Passport
 */
export type AccessTokenCallback<User> = (accessToken: string, done: Done<[user?: User | false | null, tokenSecret?: string, info?: object]>) => void;

/**
 * `validate(timestamp, nonce, done)`: an extra replay check of the app's own,
 * run after the signature verified; `done(null, false)` refuses the request
 * (401 `nonce_used`). The verifier's nonce store runs in any case.
 *
 * @example
 * ```ts
 * const validate: ValidateCallback = (timestamp, nonce, done) => done(null, !seen.has(nonce));
 * ```
 * @group Passport
 */
export type ValidateCallback = (timestamp: string, nonce: string, done: Done<[ok?: boolean]>) => void;

/**
 * Options of the strategies: passport-http-oauth's `realm` and `host`, and
 * the verifier's options (lookups excepted: the callbacks are the lookups).
 *
 * @example
 * ```ts
 * const options: PassportOAuthOptions = { realm: 'Users', nonceStore: createRedisNonceStore(redis) };
 * ```
 * @group Passport
 */
export interface PassportOAuthOptions extends Omit<VerifierOptions, 'lookupClient' | 'lookupToken' | 'tokenRequired'> {
  /** The realm of `WWW-Authenticate`. Default `'Clients'` ({@link ConsumerStrategy}), `'Users'` ({@link TokenStrategy}). */
  realm?: string;
  /** The host clients address (`api.example.com`), when it is not the Host header the server receives. */
  host?: string;
  /** Largest body read, in bytes. Default: the verifier's `limits.bodyBytes`. */
  bodyLimit?: number;
  /** Take the scheme and host from Express's `req.protocol` and `req.host` under its `trust proxy` setting (see the adapters' option of that name). */
  trustFrameworkProxy?: boolean;
}

/**
 * What Passport adds to a strategy for one request (`this` in `authenticate`).
 *
 * @example
 * ```ts
 * const actions: StrategyActions = { success: (user) => console.log(user), fail: () => undefined, error: console.error };
 * ```
 * @group Passport
 */
export interface StrategyActions {
  success(user: unknown, info?: object): void;
  fail(challenge?: string, status?: number): void;
  error(err: unknown): void;
}

/**
 * The Express/Connect request Passport hands a strategy, structurally.
 *
 * @example
 * ```ts
 * app.get('/me', (req: PassportRequest, res) => res.end());
 * ```
 * @group Passport
 */
export interface PassportRequest extends NodeRequestLike {
  originalUrl?: string;
  protocol?: string;
  host?: string;
  body?: unknown;
  rawBody?: unknown;
}

/** What a lookup found: the record the verifier needs, and what the app's callback handed over. */
interface Found<T> {
  secret: string;
  found: T;
  info: object | undefined;
}

/** Calls a node-style callback and resolves with its results (`false`/`null`/`undefined` first result: not found). */
function call<A extends unknown[]>(callback: (...args: any[]) => void, ...args: unknown[]): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    try {
      callback(...args, (err: unknown, ...results: unknown[]) => (err ? reject(err) : resolve(results as A)));
    } catch (err) {
      reject(err);
    }
  });
}

const KINDS: Record<BodyKind, string> = { form: 'express.urlencoded', json: 'express.json', xml: 'express.text', text: 'express.text', other: 'express.raw' };

function consumedHint(kind: BodyKind): string {
  return `a body parser (${KINDS[kind]}() by the Content-Type) ran before passport.authenticate(): give it the raw-body hook, ${KINDS[kind]}({ verify: keepRawBody }) with keepRawBody from oauth1/passport`;
}

function withHost(host: string): (req: { url: string | URL }) => string {
  return (req) => {
    const url = new URL(String(req.url));
    url.host = host;
    return url.href;
  };
}

/**
 * A token as the verifier reads it: the secret (one that is not a string is
 * refused by the verifier, 401 like an unknown token) and, when the callback's
 * `info` names the client the token was issued to (`info.clientKey`), that
 * client, so that no other client can use the token.
 */
function tokenFound<T>(secret: unknown, found: T, info: object | undefined): Found<T> & { clientKey?: unknown } {
  const owner = (info as { clientKey?: unknown } | undefined)?.clientKey;
  return { secret: secret as string, found, info, ...(owner === undefined ? {} : { clientKey: owner }) };
}

interface Parts<C> {
  options: PassportOAuthOptions;
  consumer: ConsumerCallback<C>;
  second: (...args: any[]) => void;
  validate: ValidateCallback | undefined;
}

/** Reads `([options], consumer, token|verify, [validate])` as passport-http-oauth did. */
function parts<C>(args: unknown[], strategy: string, second: string): Parts<C> {
  const rest = typeof args[0] === 'function' ? [{}, ...args] : args;
  const options = object<PassportOAuthOptions>(rest[0] ?? {}, 'options');
  if ((options as { ignoreVersion?: unknown }).ignoreVersion !== undefined) {
    throw invalidArgValue('options.ignoreVersion', 'is not supported: a request whose oauth_version is not 1.0 is not OAuth 1.0 (RFC 5849 §3.1)');
  }
  return {
    options,
    consumer: fn<ConsumerCallback<C>>(rest[1], 'consumer', `${strategy} needs a consumer(consumerKey, done) callback`),
    second: fn<(...a: any[]) => void>(rest[2], second, `${strategy} needs a ${second} callback`),
    validate: rest[3] === undefined ? undefined : fn<ValidateCallback>(rest[3], 'validate'),
  };
}

/** The verifier both strategies share, with the app's callbacks as its lookups. */
function strategyVerifier<C>(p: Parts<C>, realm: string, tokenRequired: boolean, token: (key: string) => Promise<Found<unknown> | undefined>) {
  const { host, bodyLimit: _bodyLimit, trustFrameworkProxy: _trust, ...verifierOptions } = p.options;
  optionalString(host, 'options.host', { nonEmpty: true });
  return createVerifier<Found<C>, Found<unknown>>({
    ...verifierOptions,
    ...(host === undefined ? {} : { publicUrl: withHost(host) }),
    realm,
    tokenRequired,
    lookupClient: async (key: string, _ctx: LookupContext) => {
      const [consumer, secret] = await call<[C | false | null | undefined, string | undefined]>(p.consumer, key);
      if (consumer === false || consumer === null || consumer === undefined) return undefined;
      // A secret that is not a string is the verifier's to refuse: 401 like an unknown key, the cause to onDebug.
      return { secret: secret as string, found: consumer, info: undefined };
    },
    lookupToken: (key: string) => token(key),
  });
}

type StrategyVerifier<C> = ReturnType<typeof strategyVerifier<C>>;

/** One verification, as both strategies run it: the request, the verifier, the app's validate. */
async function verifyPassportRequest<C>(
  req: PassportRequest,
  verifier: StrategyVerifier<C>,
  settings: AdapterSettings,
  validate: ValidateCallback | undefined,
): Promise<VerifiedRequest<Found<C>, Found<unknown>>> {
  const framework = settings.trustFrameworkProxy ? firstOfListOrigin(frameworkOrigin(req.protocol, req.host), req, verifier.realm) : undefined;
  const url = nodeRequestUrl(req, req.originalUrl, verifier.realm, framework);
  const { body } = await resolveNodeBody(verifier, req, url, settings.limit, { raw: req.rawBody, parsed: req.body, consumedHint });
  const verified = await verifier.verify({ method: req.method ?? 'GET', url, headers: withParserCharset(nodeHeaders(req), req), body }, adapterExtra('passport', req, req.socket?.remoteAddress, settings));
  if (validate !== undefined) {
    const [ok] = await call<[boolean | undefined]>(validate, String(verified.timestamp ?? ''), verified.nonce ?? '');
    if (ok !== true) throw problemFactory(verifier.realm)(401, 'nonce_used', 'the application refused this timestamp and nonce');
  }
  return verified;
}

function oauthParam(verified: VerifiedRequest<any, any>, name: string): string | undefined {
  return verified.oauthParams.find(([n]) => n === name)?.[1];
}

/** Hands an outcome to Passport: a refused request is `fail(challenge, status)`; a 503 (a store that cannot answer) and anything else `error(err)`. */
function settle(actions: StrategyActions, run: () => Promise<void>): void {
  run().catch((err: unknown) => {
    // A 5xx (a store that cannot answer) goes down the error path, which sends its status and headers (Retry-After); fail() drops them.
    if (err instanceof OAuthError && err.status < 500) actions.fail(err.headers['WWW-Authenticate'], err.status);
    else actions.error(err);
  });
}

/**
 * Authenticates the client (consumer) at the temporary credentials and
 * token endpoints of a provider, as passport-http-oauth's
 * `ConsumerStrategy` did: `req.user` is the consumer; `req.authInfo.oauth`
 * is `{ callbackURL }` for a request without a token (the request token
 * endpoint: `oauth_callback` is required), else `{ token, verifier }`
 * (`oauth_verifier` is required), with the `info` the `token` callback gave.
 *
 * @example
 * ```ts
 * passport.use('consumer', new ConsumerStrategy(
 *   (consumerKey, done) => db.consumers.find(consumerKey).then((c) => done(null, c ?? false, c?.secret), done),
 *   (requestToken, done) => db.requestTokens.find(requestToken).then((t) => done(null, t?.secret ?? false, { verifier: t?.verifier }), done),
 * ));
 * app.post('/oauth/access_token', passport.authenticate('consumer', { session: false }), issueAccessToken);
 * ```
 * @group Passport
 */
export class ConsumerStrategy<Consumer = unknown> {
  /** The name Passport knows it by when `passport.use()` is given none. */
  name = 'oauth';
  private readonly verifier: StrategyVerifier<Consumer>;
  private readonly settings: AdapterSettings;
  private readonly validate: ValidateCallback | undefined;

  constructor(consumer: ConsumerCallback<Consumer>, token: RequestTokenCallback, validate?: ValidateCallback);
  constructor(options: PassportOAuthOptions, consumer: ConsumerCallback<Consumer>, token: RequestTokenCallback, validate?: ValidateCallback);
  constructor(...args: unknown[]) {
    const p = parts<Consumer>(args, 'ConsumerStrategy', 'token');
    this.validate = p.validate;
    this.verifier = strategyVerifier(p, p.options.realm ?? 'Clients', false, async (key) => {
      const [secret, info] = await call<[string | false | null | undefined, object | undefined]>(p.second, key);
      return typeof secret === 'string' ? tokenFound(secret, key, info) : undefined;
    });
    this.settings = adapterSettings(this.verifier, { bodyLimit: p.options.bodyLimit, trustFrameworkProxy: p.options.trustFrameworkProxy });
  }

  /** Called by Passport with the actions (`success`, `fail`, `error`) as `this`. */
  authenticate(this: StrategyActions, req: PassportRequest): void {
    // Passport calls this on an object made from the strategy (Object.create), with its actions added.
    const self = this as unknown as ConsumerStrategy<Consumer> & StrategyActions;
    settle(self, async () => {
      const verified = await verifyPassportRequest(req, self.verifier, self.settings, self.validate);
      const fail = problemFactory(self.verifier.realm);
      if (verified.token === undefined) {
        const callbackURL = oauthParam(verified, 'oauth_callback');
        if (callbackURL === undefined) throw fail(400, 'parameter_absent', 'oauth_callback is required without a token', { parametersAbsent: ['oauth_callback'] });
        return self.success(verified.client.found, { scheme: 'OAuth', oauth: { callbackURL }, verified });
      }
      const verifier = oauthParam(verified, 'oauth_verifier');
      if (verifier === undefined) throw fail(400, 'parameter_absent', 'oauth_verifier is required with a request token', { parametersAbsent: ['oauth_verifier'] });
      return self.success(verified.client.found, { ...verified.token.info, scheme: 'OAuth', oauth: { token: verified.token.found, verifier }, verified });
    });
  }
}

/**
 * Authenticates the user behind token credentials (an access token) on
 * protected resources, as passport-http-oauth's `TokenStrategy` did:
 * `req.user` is the user the `verify` callback gave; `req.authInfo` holds
 * its `info`, `scheme: 'OAuth'`, and the consumer as `consumer` and `client`.
 *
 * @example
 * ```ts
 * passport.use('token', new TokenStrategy(
 *   (consumerKey, done) => db.consumers.find(consumerKey).then((c) => done(null, c ?? false, c?.secret), done),
 *   (accessToken, done) => db.accessTokens.find(accessToken).then((t) => (t ? done(null, t.user, t.secret, { scope: t.scope }) : done(null, false)), done),
 * ));
 * app.get('/api/me', passport.authenticate('token', { session: false }), (req, res) => res.json(req.user));
 * ```
 * @group Passport
 */
export class TokenStrategy<Consumer = unknown, User = unknown> {
  /** The name Passport knows it by when `passport.use()` is given none. */
  name = 'oauth';
  private readonly verifier: StrategyVerifier<Consumer>;
  private readonly settings: AdapterSettings;
  private readonly validate: ValidateCallback | undefined;

  constructor(consumer: ConsumerCallback<Consumer>, verify: AccessTokenCallback<User>, validate?: ValidateCallback);
  constructor(options: PassportOAuthOptions, consumer: ConsumerCallback<Consumer>, verify: AccessTokenCallback<User>, validate?: ValidateCallback);
  constructor(...args: unknown[]) {
    const p = parts<Consumer>(args, 'TokenStrategy', 'verify');
    this.validate = p.validate;
    this.verifier = strategyVerifier(p, p.options.realm ?? 'Users', true, async (key) => {
      const [user, secret, info] = await call<[User | false | null | undefined, string | undefined, object | undefined]>(p.second, key);
      if (user === false || user === null || user === undefined) return undefined;
      return tokenFound(secret, user, info);
    });
    this.settings = adapterSettings(this.verifier, { bodyLimit: p.options.bodyLimit, trustFrameworkProxy: p.options.trustFrameworkProxy });
  }

  /** Called by Passport with the actions (`success`, `fail`, `error`) as `this`. */
  authenticate(this: StrategyActions, req: PassportRequest): void {
    // Passport calls this on an object made from the strategy (Object.create), with its actions added.
    const self = this as unknown as TokenStrategy<Consumer, User> & StrategyActions;
    settle(self, async () => {
      const verified = await verifyPassportRequest(req, self.verifier, self.settings, self.validate);
      const consumer = verified.client.found;
      self.success(verified.token?.found, { ...verified.token?.info, scheme: 'OAuth', consumer, client: consumer, verified });
    });
  }
}

/** {@link ConsumerStrategy} under RFC 5849's word for the party. @group Passport */
export const ClientStrategy = ConsumerStrategy;
