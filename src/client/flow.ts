/**
 * The client side of RFC 5849 §2: temporary credentials, resource-owner
 * authorization and token credentials.
 * @module
 */
import { formatForm, parseForm } from '../core/encoding.js';
import { OAuthError, invalidArgType, invalidArgValue } from '../core/errors.js';
import { refusalFrom } from './provider-answer.js';
import { signAsync, type ClientCredentials, type SignOptions, type TokenCredentials } from './sign.js';
import { appendQuery, type Params } from '../core/request.js';
import type { SignatureMethod } from '../methods/types.js';

/** The type of `fetch`. @internal */
export type Fetch = typeof fetch;

/** Options shared by the §2 requests. @group Flow */
export interface FlowRequestOptions {
  url: string;
  client: ClientCredentials;
  signatureMethod?: SignatureMethod;
  realm?: string;
  /** Default: the global `fetch`. */
  fetch?: Fetch;
  /** Default `'header'`. */
  placement?: SignOptions['placement'];
  /**
   * Default `'POST'` (RFC 5849 §2 recommends it). Some providers document
   * GET for their credential endpoints (E*TRADE, Discogs' temporary
   * credentials); the protocol parameters still go where `placement` says.
   */
  method?: 'GET' | 'POST';
  /** Default true: send `oauth_version="1.0"`. */
  includeVersion?: boolean;
}

/** The provider's answer to a temporary credentials request. @group Flow */
export interface TemporaryCredentials {
  key: string;
  secret: string;
  callbackConfirmed: boolean;
  /** Every parameter of the answer, as sent. */
  params: Params;
}

/** The provider's answer to a token credentials request. @group Flow */
export interface IssuedTokenCredentials {
  key: string;
  secret: string;
  /** Every parameter of the answer (providers add their own, e.g. `user_id`, `screen_name`). */
  params: Params;
}

/** The fetch to use: the one given, else the global one. @internal */
export function fetchOf(f: Fetch | undefined, path: string): Fetch {
  const chosen = f ?? globalThis.fetch;
  if (typeof chosen !== 'function') throw invalidArgType(path, 'a fetch function (no global fetch is available)');
  return chosen;
}

/** The secrets a request was signed with: never in an error's message or fields. @internal */
export function secretsOf(client: ClientCredentials | undefined, token?: TokenCredentials): string[] {
  const out: string[] = [];
  if (typeof client?.secret === 'string' && client.secret.length > 0) out.push(client.secret);
  if (typeof token?.secret === 'string' && token.secret.length > 0) out.push(token.secret);
  return out;
}

interface Sent {
  res: Response;
  baseString: string;
  secrets: string[];
}

async function credentialsAnswer(sent: Sent, what: string): Promise<{ key: string; secret: string; fields: Map<string, string>; params: Params }> {
  const { res } = sent;
  if (!res.ok) throw await refusalFrom(res, { step: what, ourBaseString: sent.baseString }, sent.secrets);
  const text = (await res.text()).trim();
  let params: Array<[string, string]>;
  try {
    params = parseForm(text);
  } catch {
    throw new OAuthError(502, 'parameter_rejected', `the provider's answer to the ${what} is not a valid form body`);
  }
  const fields = new Map(params);
  const key = fields.get('oauth_token');
  const secret = fields.get('oauth_token_secret');
  if (!key || secret === undefined) {
    throw new OAuthError(502, 'parameter_absent', `the provider's answer to the ${what} lacks oauth_token or oauth_token_secret`, {
      parametersAbsent: ['oauth_token', 'oauth_token_secret'].filter((n) => !fields.has(n)),
    });
  }
  return { key, secret, fields, params };
}

async function post(opts: FlowRequestOptions, extra: Partial<SignOptions>, path: string): Promise<Sent> {
  if (typeof opts !== 'object' || opts === null) throw invalidArgType(path, 'an object');
  if (typeof opts.url !== 'string') throw invalidArgType(`${path}.url`, 'a string');
  const method = opts.method ?? 'POST';
  if (method !== 'GET' && method !== 'POST') throw invalidArgValue(`${path}.method`, `must be 'GET' or 'POST'`);
  const signed = await signAsync(
    { method, url: opts.url },
    {
      client: opts.client,
      ...(opts.signatureMethod !== undefined ? { signatureMethod: opts.signatureMethod } : {}),
      ...(opts.realm !== undefined ? { realm: opts.realm } : {}),
      ...(opts.placement !== undefined ? { placement: opts.placement } : {}),
      ...(opts.includeVersion !== undefined ? { includeVersion: opts.includeVersion } : {}),
      ...extra,
    },
  );
  const init: RequestInit = { method, headers: signed.headers };
  if (signed.body !== null) init.body = signed.body;
  const res = await fetchOf(opts.fetch, `${path}.fetch`)(signed.url, init);
  return { res, baseString: signed.baseString, secrets: secretsOf(opts.client, extra.token) };
}

/**
 * Step 1 of RFC 5849 §2: asks the provider for temporary credentials. The
 * callback defaults to `'oob'` (out of band). A provider that does not
 * confirm the callback (`oauth_callback_confirmed=true`, required by §2.1)
 * is refused unless `requireCallbackConfirmed` is false (OAuth 1.0 providers
 * from before RFC 5849 never send it).
 *
 * @example
 * ```ts
 * const temp = await requestTemporaryCredentials({
 *   url: 'https://api.example.com/oauth/request_token', client: { key, secret }, callback: 'https://app.example/cb' });
 * location.href = authorizationUrl('https://api.example.com/oauth/authorize', temp.key);
 * ```
 * @throws {@link ProviderRefusal} (an {@link OAuthError}) with the provider's status, problem report and,
 *   when it returned its base string, the comparison with ours.
 * @see RFC 5849 §2.1
 * @group Flow
 */
export async function requestTemporaryCredentials(
  opts: FlowRequestOptions & { callback?: string; requireCallbackConfirmed?: boolean },
): Promise<TemporaryCredentials> {
  const sent = await post(opts, { callback: opts?.callback ?? 'oob' }, 'options');
  const { key, secret, fields, params } = await credentialsAnswer(sent, 'temporary credentials request');
  const callbackConfirmed = fields.get('oauth_callback_confirmed') === 'true';
  if (!callbackConfirmed && opts.requireCallbackConfirmed !== false) {
    throw new OAuthError(502, 'parameter_absent', 'the provider did not confirm the callback (oauth_callback_confirmed=true, RFC 5849 §2.1)', {
      parametersAbsent: ['oauth_callback_confirmed'],
    });
  }
  return { key, secret, callbackConfirmed, params };
}

/** Options of {@link authorizationUrl}. @group Flow */
export interface AuthorizationUrlOptions {
  /**
   * The query parameter that carries the temporary credentials' identifier.
   * Default `'oauth_token'` (RFC 5849 §2.2); E*TRADE names it `token` (and
   * wants the client key as `key`, which goes in `extra`).
   */
  tokenParameter?: string;
}

/**
 * Step 2 of RFC 5849 §2: the URL to send the resource owner to, with
 * `oauth_token` (or the parameter `options.tokenParameter` names) and the
 * `extra` parameters added to any query the endpoint already has.
 *
 * @example
 * ```ts
 * authorizationUrl('https://api.x.com/oauth/authorize', temp.key, { force_login: 'true' });
 * // E*TRADE: https://us.etrade.com/e/t/etws/authorize?key=…&token=…
 * authorizationUrl('https://us.etrade.com/e/t/etws/authorize', temp.key, { key: client.key }, { tokenParameter: 'token' });
 * ```
 * @see RFC 5849 §2.2
 * @group Flow
 */
export function authorizationUrl(url: string, temporaryKey: string, extra: Record<string, string> = {}, options: AuthorizationUrlOptions = {}): string {
  if (typeof url !== 'string') throw invalidArgType('url', 'a string');
  if (typeof temporaryKey !== 'string' || temporaryKey.length === 0) throw invalidArgType('temporaryKey', 'a non-empty string');
  if (typeof extra !== 'object' || extra === null) throw invalidArgType('extra', 'an object of strings');
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'an object');
  const tokenParameter = options.tokenParameter ?? 'oauth_token';
  if (typeof tokenParameter !== 'string' || tokenParameter.length === 0) throw invalidArgType('options.tokenParameter', 'a non-empty string');
  try {
    new URL(url);
  } catch {
    throw invalidArgValue('url', 'must be an absolute URL');
  }
  const extraPairs = Object.entries(extra);
  for (const [name, value] of extraPairs) {
    if (typeof value !== 'string') throw invalidArgType(`extra.${name}`, 'a string');
    if (name === tokenParameter) throw invalidArgValue(`extra.${name}`, `is the token parameter; it carries temporaryKey`);
  }
  // The provider's own parameters first (E*TRADE documents key=…&token=…), the token last.
  const pairs: Array<[string, string]> = tokenParameter === 'oauth_token' ? [[tokenParameter, temporaryKey], ...extraPairs] : [...extraPairs, [tokenParameter, temporaryKey]];
  return appendQuery(url, formatForm(pairs));
}

/**
 * Step 3 of RFC 5849 §2: exchanges the temporary credentials and the
 * verifier the resource owner brought back for token credentials.
 *
 * @example
 * ```ts
 * const token = await requestTokenCredentials({ url: 'https://api.example.com/oauth/access_token',
 *   client, temporary: temp, verifier: query.get('oauth_verifier')! });
 * ```
 * @throws {@link ProviderRefusal} (an {@link OAuthError}) with the provider's status, problem report and,
 *   when it returned its base string, the comparison with ours.
 * @see RFC 5849 §2.3
 * @group Flow
 */
export async function requestTokenCredentials(
  opts: FlowRequestOptions & { temporary: TokenCredentials; verifier: string },
): Promise<IssuedTokenCredentials> {
  if (typeof opts?.verifier !== 'string') throw invalidArgType('options.verifier', 'a string');
  const sent = await post(opts, { token: opts.temporary, verifier: opts.verifier }, 'options');
  const { key, secret, params } = await credentialsAnswer(sent, 'token credentials request');
  return { key, secret, params };
}
