/**
 * The one reading of a Content-Type header, shared by the signer, the
 * verifier and every adapter, so that the library never reads a body as "not
 * a form" (unsigned) while a framework's parser reads it as a form.
 *
 * Parsers disagree on lists: the Fetch standard's MIME extraction takes the
 * last valid media type of `text/plain, application/x-www-form-urlencoded`
 * (so `request.formData()` returns the fields), strict parsers refuse the
 * value, Node keeps the first of two Content-Type headers. A value that
 * lists more than one media type is therefore refused, unless every entry is
 * the same media type (a duplicated header), which every reader agrees on.
 * @module
 * @internal
 */
import { malformed } from './errors.js';

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORM = 'application/x-www-form-urlencoded';

/** Splits a header value at commas that are not inside a quoted string; entries are trimmed, empty ones dropped. */
function entries(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && quoted) i++;
    else if (c === ',' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((e) => e.trim()).filter((e) => e.length > 0);
}

/** The essence (`type/subtype`, lowercase) of one media type, or undefined when it is not one. */
function essence(mediaType: string): string | undefined {
  const semicolon = mediaType.indexOf(';');
  const head = (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim();
  const slash = head.indexOf('/');
  if (slash <= 0) return undefined;
  const type = head.slice(0, slash);
  const subtype = head.slice(slash + 1);
  return TOKEN.test(type) && TOKEN.test(subtype) ? `${type}/${subtype}`.toLowerCase() : undefined;
}

/**
 * The media type of a Content-Type value (`type/subtype`, lowercase), or
 * undefined when there is none or it is not a media type.
 *
 * @throws {@link OAuthError} 400 `parameter_rejected` when the value lists
 *   different media types (or a list with one that is not a media type).
 */
export function mediaTypeOf(contentType: string | undefined | null): string | undefined {
  if (typeof contentType !== 'string') return undefined;
  // No comma, no list: the one entry, trimmed (what entries() would give).
  if (!contentType.includes(',')) {
    const only = contentType.trim();
    return only.length === 0 ? undefined : essence(only);
  }
  const list = entries(contentType);
  const first = list[0];
  if (first === undefined) return undefined;
  if (list.length === 1) return essence(first);
  const kinds = new Set(list.map(essence));
  const only = [...kinds][0];
  if (kinds.size !== 1 || only === undefined) {
    throw malformed('the Content-Type header lists more than one media type; send exactly one');
  }
  return only;
}

/** Whether a Content-Type names a form body (throws like {@link mediaTypeOf} for an ambiguous list). */
export function isForm(contentType: string | undefined | null): boolean {
  // The usual value, spelled as the media type itself.
  if (contentType === FORM) return true;
  return mediaTypeOf(contentType) === FORM;
}

/**
 * The `charset` parameter of a Content-Type (lowercase, unquoted), or
 * undefined when there is none. Given more than once (parsers keep the last,
 * or the first; a header sent twice is a list of the same media type), any
 * value other than UTF-8 is the answer, so that no reading of it is missed.
 */
export function charsetOf(contentType: string | undefined | null): string | undefined {
  // Every form a verifier reads asks: most Content-Types name no charset, and need no split.
  if (typeof contentType !== 'string' || !/charset/i.test(contentType)) return undefined;
  let charset: string | undefined;
  for (const param of entries(contentType).flatMap((entry) => entry.split(';').slice(1))) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset === undefined || value !== 'utf-8') charset = value;
  }
  return charset;
}
