/**
 * What a provider said when it refused a request: the OAuth Problem
 * Reporting fields, the base string it computed when it returns one
 * (`debug_sbs`, `oauth_signature_base_string`, …), and the start of an
 * answer that is not a form (JSON, HTML); and the error the flow helpers
 * and the signed fetch throw with all of it.
 * @module
 */
import { parseForm } from '../core/encoding.js';
import { OAuthError, type OAuthErrorOptions } from '../core/errors.js';
import { parseAuthorizationHeader } from '../core/header.js';
import { adviceForProblem, compareBaseStrings, type BaseStringComparison } from './explain.js';

/** What a provider's refusal carried. @group Explain */
export interface ProviderAnswer {
  status: number;
  /** `oauth_problem`, from the body or the `WWW-Authenticate` header. */
  problem?: string;
  advice?: string;
  parametersAbsent?: string[];
  parametersRejected?: string[];
  acceptableTimestamps?: string;
  acceptableVersions?: string;
  /** The base string the provider computed, when it sent it. */
  baseString?: string;
  /** The start of a body that is not a form (JSON, HTML, text), at most {@link ANSWER_START_LIMIT} characters. */
  bodyStart?: string;
  contentType?: string;
}

/** How much of a non-form answer an error keeps. @group Explain */
export const ANSWER_START_LIMIT = 1024;

/** Names under which providers return the base string they computed. */
const BASE_STRING_FIELDS = ['debug_sbs', 'oauth_signature_base_string', 'signature_base_string', 'base_string', 'sbs'];

// METHOD & encoded URI & encoded parameters: the only raw "&"s are those two.
const BASE_STRING = /^[A-Z][A-Z0-9_-]*&https?%3A%2F%2F[A-Za-z0-9%._~-]+&[A-Za-z0-9%._~-]*$/;
const BASE_STRING_IN_TEXT = /(?<![A-Za-z])[A-Z][A-Z0-9_-]*&https?%3A%2F%2F[A-Za-z0-9%._~-]+&[A-Za-z0-9%._~-]*/;

/**
 * Whether a text has the shape of a signature base string (RFC 5849
 * §3.4.1.1): an upper-case method, the encoded base string URI and the
 * encoded parameters, joined by the only two raw `&`.
 *
 * @example
 * ```ts
 * isBaseString('GET&https%3A%2F%2Fapi.example.com%2Fitems&a%3D1'); // true
 * isBaseString('Invalid signature');                                // false
 * ```
 * @see RFC 5849 §3.4.1.1
 * @group Explain
 */
export function isBaseString(text: string): boolean {
  return typeof text === 'string' && BASE_STRING.test(text.trim());
}

/**
 * Finds a base string in a provider's answer: a form field (`debug_sbs`,
 * `oauth_signature_base_string`, …, encoded or, as some providers send it,
 * not encoded at all), a JSON string, or a base string anywhere in the text.
 *
 * @example A provider's error answer with its base string in debug_sbs
 * ```ts
 * findBaseString('oauth_problem=signature_invalid&debug_sbs=GET%26https%253A%252F%252Fapi.example.com%252Fitems%26a%253D1');
 * // 'GET&https%3A%2F%2Fapi.example.com%2Fitems&a%3D1'
 * ```
 * @group Explain
 */
export function findBaseString(text: string): string | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  for (const field of fieldsOf(text)) {
    if (BASE_STRING_FIELDS.includes(field[0]) && isBaseString(field[1])) return field[1].trim();
  }
  // Not encoded as a form value (debug_sbs=POST&https%3A…), inside JSON or HTML: the shape finds it.
  const decodedJson = text.replace(/\\u0026/g, '&');
  return BASE_STRING_IN_TEXT.exec(decodedJson)?.[0];
}

function fieldsOf(text: string): Array<[string, string]> {
  const trimmed = text.trim();
  try {
    return parseForm(trimmed);
  } catch {
    // not a form
  }
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as unknown;
      if (typeof json === 'object' && json !== null) {
        return Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string');
      }
    } catch {
      // not JSON either
    }
  }
  return [];
}

function isForm(text: string, contentType: string | undefined): boolean {
  if (contentType !== undefined && /application\/x-www-form-urlencoded/i.test(contentType)) return true;
  return /^[A-Za-z0-9_.%-]+=[^\s<>{}]*(?:&[A-Za-z0-9_.%-]+=[^\s<>{}]*)*$/.test(text.trim());
}

function problemFields(fields: Map<string, string>, out: ProviderAnswer): void {
  const list = (v: string | undefined) => (v === undefined || v === '' ? undefined : v.split('&').filter(Boolean));
  const problem = fields.get('oauth_problem');
  if (problem) out.problem = problem;
  const advice = fields.get('oauth_problem_advice');
  if (advice) out.advice = advice;
  const absent = list(fields.get('oauth_parameters_absent'));
  if (absent) out.parametersAbsent = absent;
  const rejected = list(fields.get('oauth_parameters_rejected'));
  if (rejected) out.parametersRejected = rejected;
  const timestamps = fields.get('oauth_acceptable_timestamps');
  if (timestamps) out.acceptableTimestamps = timestamps;
  const versions = fields.get('oauth_acceptable_versions');
  if (versions) out.acceptableVersions = versions;
}

function headerFields(wwwAuthenticate: string | undefined | null): Map<string, string> {
  if (!wwwAuthenticate) return new Map();
  try {
    return new Map(parseAuthorizationHeader(wwwAuthenticate)?.params ?? []);
  } catch {
    return new Map();
  }
}

/**
 * Reads a provider's refusal: status, problem report (body first, then
 * `WWW-Authenticate`), the provider's base string, and the bounded start of
 * a body that is not a form. `redact` lists values (secrets) that never
 * appear in what is returned.
 *
 * @example With an HTTP client that does not throw
 * ```ts
 * const res = await api.get(url);
 * if (res.status === 401) console.log(readProviderAnswer({ status: 401, headers: res.headers, body: res.data }));
 * ```
 * @group Explain
 */
export function readProviderAnswer(
  answer: { status: number; body: string; wwwAuthenticate?: string | null; contentType?: string | null },
  redact: readonly string[] = [],
): ProviderAnswer {
  const out: ProviderAnswer = { status: answer.status };
  const body = redactAll(typeof answer.body === 'string' ? answer.body : '', redact);
  const contentType = answer.contentType ?? undefined;
  if (contentType) out.contentType = contentType;
  const fields = new Map(fieldsOf(body));
  problemFields(headerFields(answer.wwwAuthenticate), out);
  problemFields(fields, out);
  if (out.problem === undefined) {
    const m = /oauth_problem"?\s*[=:]\s*"?([a-z_]+)/.exec(body);
    if (m?.[1] !== undefined) out.problem = m[1];
  }
  const baseString = findBaseString(body);
  if (baseString !== undefined) out.baseString = baseString;
  const text = body.trim();
  if (text.length > 0 && !isForm(text, contentType)) {
    out.bodyStart = text.length > ANSWER_START_LIMIT ? `${text.slice(0, ANSWER_START_LIMIT)}…` : text;
  }
  return out;
}

/**
 * A provider's answer pasted as text, as `oauth1 explain --provider-error`
 * and the debugger page take it: a body, or a `WWW-Authenticate` value.
 * @internal
 */
export function readPastedAnswer(text: string): ProviderAnswer {
  return readProviderAnswer({ status: 0, body: text, wwwAuthenticate: /^\s*OAuth\s/i.test(text) ? text : null });
}

/** Removes every occurrence of each secret, raw and percent-encoded (a PLAINTEXT signature is the encoded secrets). @internal */
export function redactAll(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length === 0) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(encodeURIComponent(encodeURIComponent(s)));
  }
  // Longest first, so an encoded form is not left half-replaced.
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join('[redacted]');
  return out;
}

const brand = Symbol.for('oauth1.ProviderRefusal');

/** The context of a refused request, for {@link ProviderRefusal}. @group Errors */
export interface RefusalContext {
  /** What was refused: "temporary credentials request", "request to api.example.com", … */
  step: string;
  /** The base string we signed. */
  ourBaseString?: string | undefined;
}

/**
 * A provider refused a request: the error the flow helpers and the signed
 * fetch throw. It is an {@link OAuthError} (status and `oauth_problem` as the
 * provider sent them) that also holds what the provider said and, when the
 * provider returned its base string, the comparison with ours — its message
 * names the first difference in one line. Secrets never appear in it.
 *
 * @example
 * ```ts
 * try { await requestTemporaryCredentials(opts) } catch (err) {
 *   if (err instanceof ProviderRefusal && err.comparison) console.log(err.comparison.hints);
 * }
 * ```
 * @group Errors
 */
export class ProviderRefusal extends OAuthError {
  /** What was refused. */
  readonly step: string;
  /** Everything the answer carried (problem report, base string, start of a non-form body). */
  readonly answer: ProviderAnswer;
  /** The base string we signed. */
  readonly ourBaseString: string | undefined;
  /** {@link compareBaseStrings} of ours and the provider's, when the provider sent its base string. */
  readonly comparison: BaseStringComparison | undefined;

  constructor(answer: ProviderAnswer, context: RefusalContext) {
    const comparison =
      answer.baseString !== undefined && context.ourBaseString !== undefined ? compareBaseStrings(context.ourBaseString, answer.baseString) : undefined;
    const problem = answer.problem ?? (answer.status === 401 ? 'signature_invalid' : 'parameter_rejected');
    super(answer.status, problem, refusalMessage(answer, context.step, comparison), detailsOf(answer));
    this.step = context.step;
    this.answer = answer;
    this.ourBaseString = context.ourBaseString;
    this.comparison = comparison;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), step: this.step, answer: this.answer, ourBaseString: this.ourBaseString, comparison: this.comparison };
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
Object.defineProperty(ProviderRefusal.prototype, brand, { value: true });

function detailsOf(a: ProviderAnswer): OAuthErrorOptions {
  const d: OAuthErrorOptions = {};
  if (a.parametersAbsent) d.parametersAbsent = a.parametersAbsent;
  if (a.parametersRejected) d.parametersRejected = a.parametersRejected;
  if (a.acceptableTimestamps) d.acceptableTimestamps = a.acceptableTimestamps;
  if (a.acceptableVersions) d.acceptableVersions = a.acceptableVersions;
  if (a.advice) d.advice = a.advice;
  return d;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** One line: what was refused, the problem and its fields, then the first base-string difference or the start of the answer. */
function refusalMessage(a: ProviderAnswer, step: string, cmp: BaseStringComparison | undefined): string {
  const said: string[] = [];
  if (a.problem) said.push(a.problem);
  if (a.parametersAbsent?.length) said.push(`absent: ${a.parametersAbsent.join(', ')}`);
  if (a.parametersRejected?.length) said.push(`rejected: ${a.parametersRejected.join(', ')}`);
  if (a.acceptableTimestamps) said.push(`acceptable timestamps: ${a.acceptableTimestamps}`);
  if (a.acceptableVersions) said.push(`acceptable versions: ${a.acceptableVersions}`);
  let message = `the provider refused the ${step} with ${a.status}${said.length ? ` (${said.join('; ')})` : ''}`;
  const d = cmp?.firstDifference;
  if (cmp !== undefined && d !== undefined) {
    message += `; its base string differs from ours at character ${d.index}: ours "${d.ours}", theirs "${d.theirs}"`;
    if (cmp.hints[0] !== undefined) message += ` — ${oneLine(cmp.hints[0], 200)}`;
  } else if (cmp?.identical) {
    message += '; its base string equals ours, so the keys differ (client or token secret, or the signature method)';
  } else if (a.bodyStart !== undefined) {
    message += `; the answer begins: ${oneLine(a.bodyStart, 200)}`;
  } else if (a.advice !== undefined) {
    message += ` — the provider advises: ${oneLine(a.advice, 200)}`;
  } else if (a.problem !== undefined && adviceForProblem(a.problem) !== undefined) {
    message += ` — ${oneLine(adviceForProblem(a.problem) ?? '', 200)}`;
  }
  return oneLine(message, 1000);
}

/** Reads at most `limit` characters of a response body. @internal */
export async function readBounded(res: Response, limit = 64 * 1024): Promise<string> {
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // a broken body: keep what arrived
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, limit);
}

/** A refusal from a fetch Response. @internal */
export async function refusalFrom(res: Response, context: RefusalContext, secrets: readonly string[]): Promise<ProviderRefusal> {
  const body = await readBounded(res);
  const answer = readProviderAnswer(
    { status: res.status, body, wwwAuthenticate: res.headers.get('www-authenticate'), contentType: res.headers.get('content-type') },
    secrets,
  );
  return new ProviderRefusal(answer, context);
}
