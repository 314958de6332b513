/**
 * The one request shape every layer reads, and the helpers that read it:
 * headers in any common form, bodies as text, bytes, `URLSearchParams` or
 * fields.
 * @module
 */
import { invalidArgType, invalidArgValue, malformed } from './errors.js';
import { charsetOf, isForm } from './content-type.js';
import { parseForm } from './encoding.js';

/** Parameters: decoded `[name, value]` pairs, order kept, repeated names allowed. */
export type Params = ReadonlyArray<readonly [name: string, value: string]>;

/** Convenience parameter inputs accepted at the top level and turned into {@link Params}. */
export type ParamsInit = Params | URLSearchParams | Readonly<Record<string, string | readonly string[]>>;

/** Headers as a Fetch `Headers`, a plain object (Node's `IncomingHttpHeaders` included) or pairs. */
export type HeadersLike =
  | Headers
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | Iterable<readonly [string, string]>;

/**
 * A body: raw text or bytes (a form only when Content-Type is
 * `application/x-www-form-urlencoded`), or form fields as `URLSearchParams` or
 * an object.
 */
export type BodyLike =
  | string
  | Uint8Array
  | ArrayBuffer
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[]>>
  | null
  | undefined;

/**
 * A request as the library sees it. `url` is absolute, as the client
 * addressed it (scheme, host, port, path, query).
 * @group Request
 */
export interface HttpRequestLike {
  method: string;
  url: string | URL;
  headers?: HeadersLike | undefined;
  body?: BodyLike;
}

/**
 * Turns a convenience parameter input (pairs, a `URLSearchParams`, or an
 * object whose values are strings or arrays of strings) into `[name, value]`
 * pairs, order and repeated names kept. `path` names the argument in the
 * `TypeError` a wrong input gets.
 *
 * @example
 * ```ts
 * toParams({ b: '2', a: ['1', '3'] });          // [['b', '2'], ['a', '1'], ['a', '3']]
 * toParams(new URLSearchParams('x=1&x=2'));     // [['x', '1'], ['x', '2']]
 * ```
 * @group Parameters
 */
export function toParams(input: ParamsInit | undefined, path = 'params'): Array<[string, string]> {
  if (input === undefined) return [];
  if (input instanceof URLSearchParams) return [...input];
  if (Array.isArray(input)) {
    return input.map((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw invalidArgType(`${path}[${i}]`, 'a [name, value] pair of strings');
      }
      return [pair[0], pair[1]] as [string, string];
    });
  }
  if (typeof input !== 'object' || input === null) {
    throw invalidArgType(path, 'an array of [name, value] pairs, a URLSearchParams or an object');
  }
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (typeof value === 'string') out.push([name, value]);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      for (const v of value as string[]) out.push([name, v]);
    } else throw invalidArgType(`${path}.${name}`, 'a string or an array of strings');
  }
  return out;
}

/** Reads one header case-insensitively; repeated values are joined with `, `. @internal */
export function getHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  const lower = name.toLowerCase();
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (headers as Headers).get(lower) ?? undefined;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const found: string[] = [];
    for (const [n, v] of headers as Iterable<readonly [string, string]>) if (n.toLowerCase() === lower) found.push(v);
    return found.length ? found.join(', ') : undefined;
  }
  const record = headers as Record<string, unknown>;
  const direct = record[lower];
  const value = direct !== undefined ? direct : findKey(record, lower);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function findKey(record: Record<string, unknown>, lower: string): unknown {
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

/**
 * Flattens any headers input to a plain object of strings (names kept as
 * given), leaving out the header named `omit` (lowercase) in any letter case.
 * @internal
 */
export function headersToRecord(headers: HeadersLike | undefined, omit?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  const skip = (n: string): boolean => omit !== undefined && n.length === omit.length && n.toLowerCase() === omit;
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [n, v] of headers as Iterable<readonly [string, string]>) {
      if (skip(n)) continue;
      out[n] = out[n] === undefined ? v : `${out[n]}, ${v}`;
    }
    return out;
  }
  const record = headers as Record<string, unknown>;
  for (const n of Object.keys(record)) {
    const v = record[n];
    if (v === undefined || v === null || skip(n)) continue;
    out[n] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/**
 * Whether a Content-Type names a form body (`application/x-www-form-urlencoded`,
 * any letter case, parameters such as `; charset=utf-8` allowed). A value
 * that lists different media types is not a form here; the signer and the
 * verifier refuse it (400).
 *
 * @example
 * ```ts
 * isFormContentType('application/x-www-form-urlencoded; charset=UTF-8'); // true
 * isFormContentType('application/json');                                  // false
 * ```
 * @see RFC 5849 §3.4.1.3.1
 * @group Request
 */
export function isFormContentType(contentType: string | undefined | null): boolean {
  try {
    return isForm(contentType);
  } catch {
    return false;
  }
}

/** A request body as the signature sees it. @internal */
export interface BodyView {
  /** Decoded form pairs when the body is a form, else null. */
  form: Array<[string, string]> | null;
  /** The body as it travels: text or bytes (undefined when there is none). */
  raw: string | Uint8Array | undefined;
  /** True when the form came as fields (URLSearchParams or an object), not as text. */
  fields: boolean;
}

// The byte order mark is kept (ignoreBOM): a form that starts with one is refused, not read as if it were absent.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Refuses a form body that parsers read differently from the signature: one
 * that starts with a byte order mark (Fetch's form parser keeps it in the
 * first name, body-parser drops it), or one that declares a charset other
 * than UTF-8 and holds what that charset reads differently (body-parser reads
 * `charset=iso-8859-1` forms as Latin-1: `%C3%A9` becomes "Ã©", and `&#…;`
 * entities become characters). An ASCII form reads the same in either.
 */
function checkFormReading(text: string, form: ReadonlyArray<readonly [string, string]>, contentType: string | undefined): void {
  if (text.charCodeAt(0) === 0xfeff) throw malformed('the form body starts with a byte order mark; send it without one');
  const charset = charsetOf(contentType);
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return;
  const differs = (s: string): boolean => /[^\x00-\x7f]|&#/.test(s);
  if (form.some(([name, value]) => differs(name) || differs(value))) {
    throw malformed('the form body is declared in a charset other than UTF-8 but holds characters that charset reads differently from the UTF-8 the signature covers; send it as UTF-8');
  }
}

function isFieldsBody(body: unknown): body is URLSearchParams | Record<string, unknown> {
  return (
    body instanceof URLSearchParams ||
    (typeof body === 'object' && body !== null && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body))
  );
}

/** Reads the body of a request once. @internal */
export function readBody(body: BodyLike, contentType: string | undefined, path = 'request.body'): BodyView {
  // Read even without a body: an ambiguous Content-Type is refused either way.
  const form = isForm(contentType);
  if (body === undefined || body === null) return { form: null, raw: undefined, fields: false };
  if (isFieldsBody(body)) {
    if (contentType !== undefined && !form) {
      throw invalidArgValue(path, `holds form fields but the Content-Type is "${contentType}"; send raw text or bytes for other types`);
    }
    return { form: toParams(body as ParamsInit, path), raw: undefined, fields: true };
  }
  let raw: string | Uint8Array;
  if (typeof body === 'string' || body instanceof Uint8Array) raw = body;
  else if (body instanceof ArrayBuffer) raw = new Uint8Array(body);
  else throw invalidArgType(path, 'a string, a Uint8Array, an ArrayBuffer, a URLSearchParams or an object of fields');
  if (!form) return { form: null, raw, fields: false };
  let text: string;
  if (typeof raw === 'string') text = raw;
  else {
    try {
      text = utf8.decode(raw);
    } catch {
      throw malformed('the form body is not valid UTF-8');
    }
  }
  const pairs = parseForm(text);
  checkFormReading(text, pairs, contentType);
  return { form: pairs, raw, fields: false };
}

/** Parses the request URL (absolute) once. @internal */
export function parseUrl(url: string | URL, path = 'request.url'): URL {
  // A copy: the caller's URL object may change later (a callback, say).
  if (url instanceof URL) return new URL(url.href);
  if (typeof url !== 'string') throw invalidArgType(path, 'a string or a URL');
  try {
    return new URL(url);
  } catch {
    throw invalidArgValue(path, 'must be an absolute URL (scheme, host and path, as the client addressed it)');
  }
}

/** Appends an encoded query (`a=1&b=2`) to a URL string, before any fragment. @internal */
export function appendQuery(url: string, encodedQuery: string): string {
  if (encodedQuery.length === 0) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${encodedQuery}${hashAt === -1 ? '' : url.slice(hashAt)}`;
}
