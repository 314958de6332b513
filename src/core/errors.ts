/**
 * The library's two error families.
 *
 * - {@link OAuthError}: a bad *request* (malformed, unsupported, or failing
 *   authentication). It carries the HTTP status and the OAuth Problem Reporting
 *   code a server should answer with, and never a secret, a signature or a
 *   base string.
 * - `TypeError` with a Node-style `code`: a programmer's mistake (a missing or
 *   wrongly typed option). Its message quotes the option's path.
 *
 * @module
 */

/**
 * Problem codes from the OAuth Problem Reporting extension (2008; its text
 * is served, for historical purposes, by the OAuth community's old wiki:
 * https://wiki.oauth.net/w/page/12238543/ProblemReporting), plus
 * `temporarily_unavailable` for a server that cannot check a nonce right now.
 *
 * @example Narrowing on the problem
 * ```ts
 * function retryable(err: OAuthError): boolean {
 *   return err.problem === 'temporarily_unavailable' || err.problem === 'timestamp_refused';
 * }
 * ```
 * @group Errors
 */
export type OAuthProblem =
  | 'version_rejected'
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_method_rejected'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'consumer_key_rejected'
  | 'consumer_key_refused'
  | 'token_used'
  | 'token_expired'
  | 'token_revoked'
  | 'token_rejected'
  | 'verifier_invalid'
  | 'additional_authorization_required'
  | 'permission_unknown'
  | 'permission_denied'
  | 'user_refused'
  | 'temporarily_unavailable';

/** Extra fields of a problem report (OAuth Problem Reporting §2). */
export interface OAuthProblemDetails {
  /** `oauth_parameters_absent`: names of the missing parameters. */
  parametersAbsent?: readonly string[];
  /** `oauth_parameters_rejected`: names of the parameters that were refused. */
  parametersRejected?: readonly string[];
  /** `oauth_acceptable_versions`, e.g. `1.0-1.0`. */
  acceptableVersions?: string;
  /** `oauth_acceptable_timestamps`, e.g. `1700000000-1700000600`. */
  acceptableTimestamps?: string;
  /** `oauth_problem_advice`: a hint for a person. Never a secret. */
  advice?: string;
  /** Seconds after which a retry may succeed: sent as `Retry-After` (a 503 from a store that is full or unreachable). */
  retryAfter?: number;
}

export interface OAuthErrorOptions extends OAuthProblemDetails {
  /** The realm for `WWW-Authenticate`. */
  realm?: string;
  cause?: unknown;
}

const brand = Symbol.for('oauth1.OAuthError');

/** An RFC 7230 quoted-string. @internal */
export function quotedString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

// Header values must be visible ASCII: anything else (a CR LF in an attacker's
// parameter name, a non-ASCII realm) is percent-encoded rather than sent.
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]+/g, (run) => encodeURIComponent(run));
}

/** A parameter name fit for a message: printable, short. @internal */
export function printableName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}...` : clean;
}

/**
 * A request that cannot be accepted: malformed (400) or not authenticated
 * (401), per RFC 5849 §3.2. `problem` is a stable code for `switch`.
 *
 * @example Answering a failed verification
 * ```ts
 * try { await verifier.verify(req) } catch (err) {
 *   if (err instanceof OAuthError) {
 *     res.writeHead(err.status, err.headers).end(err.body);
 *   } else throw err;
 * }
 * ```
 * @see RFC 5849 §3.2
 * @group Errors
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  /** HTTP status a server should send: 400 malformed, 401 not authenticated (others from a provider's answer). */
  readonly status: number;
  /** OAuth Problem Reporting code. */
  readonly problem: OAuthProblem | (string & {});
  /** Extra problem-report fields. */
  readonly details: OAuthProblemDetails;
  /** The realm used in `WWW-Authenticate`, if any. */
  readonly realm: string | undefined;

  constructor(status: number, problem: OAuthProblem | (string & {}), message: string, options: OAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.problem = problem;
    this.realm = options.realm;
    const { realm: _r, cause: _c, ...details } = options;
    this.details = details;
  }

  /** `WWW-Authenticate` value: `OAuth realm="…", oauth_problem="…"` (RFC 5849 §3.5.1 scheme). */
  get wwwAuthenticate(): string {
    const parts: string[] = [];
    if (this.realm !== undefined) parts.push(`realm=${quotedString(headerSafe(this.realm))}`);
    for (const [name, value] of this.problemParams()) parts.push(`${name}=${quotedString(headerSafe(value))}`);
    return `OAuth ${parts.join(', ')}`;
  }

  /** Headers a server should send with the error response. */
  get headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'WWW-Authenticate': this.wwwAuthenticate,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Cache-Control': 'no-store',
    };
    if (this.details.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(0, Math.ceil(this.details.retryAfter)));
    return headers;
  }

  /** A small `application/x-www-form-urlencoded` body: `oauth_problem=…&…` (no secrets). */
  get body(): string {
    return this.problemParams()
      .map(([n, v]) => `${n}=${encodeURIComponent(v)}`)
      .join('&');
  }

  /** The problem report as ordered pairs. */
  problemParams(): Array<[string, string]> {
    const out: Array<[string, string]> = [['oauth_problem', this.problem]];
    const d = this.details;
    if (d.parametersAbsent?.length) out.push(['oauth_parameters_absent', d.parametersAbsent.join('&')]);
    if (d.parametersRejected?.length) out.push(['oauth_parameters_rejected', d.parametersRejected.join('&')]);
    if (d.acceptableVersions) out.push(['oauth_acceptable_versions', d.acceptableVersions]);
    if (d.acceptableTimestamps) out.push(['oauth_acceptable_timestamps', d.acceptableTimestamps]);
    if (d.advice) out.push(['oauth_problem_advice', d.advice]);
    return out;
  }

  /** JSON form, for logs: status, problem, message and details. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, status: this.status, problem: this.problem, message: this.message, ...this.details };
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
Object.defineProperty(OAuthError.prototype, brand, { value: true });

/** A TypeError with a Node-style `code`, for a programmer's mistake. */
export interface CodedTypeError extends TypeError {
  code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_MISSING_OPTION' | 'ERR_SYNC_CRYPTO_UNAVAILABLE';
}

function coded(message: string, code: CodedTypeError['code']): CodedTypeError {
  const err = new TypeError(message) as CodedTypeError;
  err.code = code;
  return err;
}

/** `"options.x" must be <expected>` — the option has the wrong type. @internal */
export function invalidArgType(path: string, expected: string): CodedTypeError {
  return coded(`"${path}" must be ${expected}`, 'ERR_INVALID_ARG_TYPE');
}

/** `"options.x" <reason>` — the option has the right type but a wrong value. @internal */
export function invalidArgValue(path: string, reason: string): CodedTypeError {
  return coded(`"${path}" ${reason}`, 'ERR_INVALID_ARG_VALUE');
}

/** `"options.x" is required <why>`. @internal */
export function missingOption(path: string, why = ''): CodedTypeError {
  return coded(`"${path}" is required${why ? ` ${why}` : ''}`, 'ERR_MISSING_OPTION');
}

/**
 * What the web build's crypto throws from a synchronous operation: SubtleCrypto
 * is asynchronous only. The public function that called it renames it with
 * {@link requireAsync}, so the message names the function to use. @internal
 */
export function syncCryptoUnavailable(operation: string): CodedTypeError {
  return coded(`${operation} uses WebCrypto, which is asynchronous in this build`, 'ERR_SYNC_CRYPTO_UNAVAILABLE');
}

/**
 * Turns {@link syncCryptoUnavailable} into the message a caller of `fn()`
 * needs: `fn()` cannot do this here, `asyncFn()` can. Other errors pass
 * through unchanged. @internal
 */
export function requireAsync(err: unknown, fn: string, asyncFn: string): unknown {
  if (!(err instanceof TypeError) || (err as Partial<CodedTypeError>).code !== 'ERR_SYNC_CRYPTO_UNAVAILABLE') return err;
  return coded(`${fn}() cannot finish synchronously here: ${err.message}. Use ${asyncFn}() (same arguments, a promise of the same result)`, 'ERR_SYNC_CRYPTO_UNAVAILABLE');
}

/**
 * The library's one factory of {@link OAuthError}s for a realm: every check
 * that refuses a request makes its error through one of these, so the realm
 * is stamped in one place. @internal
 */
export function problemFactory(realm: string | undefined) {
  return (status: number, problem: OAuthProblem, message: string, details: OAuthProblemDetails = {}): OAuthError =>
    new OAuthError(status, problem, message, realm === undefined ? details : { ...details, realm });
}

/** The same error for another realm (a copy: errors are immutable); other values are returned as they are. @internal */
export function withRealm<E>(err: E, realm: string | undefined): E | OAuthError {
  if (!(err instanceof OAuthError) || err.realm === realm) return err;
  return new OAuthError(err.status, err.problem, err.message, {
    ...err.details,
    ...(realm !== undefined ? { realm } : {}),
    ...(err.cause !== undefined ? { cause: err.cause } : {}),
  });
}

const realmless = problemFactory(undefined);

/** 400 `parameter_rejected`: malformed input (the realm is stamped later, by whoever answers). @internal */
export function malformed(message: string, parameter?: string): OAuthError {
  return realmless(400, 'parameter_rejected', message, parameter ? { parametersRejected: [parameter] } : {});
}
