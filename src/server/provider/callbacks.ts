/**
 * Checking a client's `oauth_callback` (RFC 5849 §2.1) against the
 * callbacks registered for it.
 * @module
 * @internal
 */

/** The URL without query and fragment, normalized by the URL parser. */
function withoutQuery(url: URL): string {
  const copy = new URL(url.href);
  copy.search = '';
  copy.hash = '';
  return copy.href;
}

// Callbacks that would run script in the browser the resource owner is sent back with.
const SCRIPT_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'blob:']);

/** Why `callback` is refused for a client with these registered callbacks, or undefined. */
export function callbackProblem(callback: string, registered: readonly string[] | undefined): string | undefined {
  const list = Array.isArray(registered) ? registered.filter((r): r is string => typeof r === 'string') : [];
  // RFC 5849 §2.1: "oob" (case sensitive) when the client cannot receive callbacks.
  if (callback === 'oob') return list.length === 0 || list.includes('oob') ? undefined : 'out-of-band ("oob") is not registered for this client';
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return 'must be an absolute URI or "oob"';
  }
  if (callback.includes('#')) return 'must not have a fragment';
  if (SCRIPT_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (list.length === 0) return undefined;
  for (const entry of list) {
    if (entry === 'oob') continue;
    let reg: URL;
    try {
      reg = new URL(entry);
    } catch {
      continue;
    }
    if (withoutQuery(reg) === withoutQuery(url) && (reg.search === '' || reg.search === url.search)) return undefined;
  }
  return 'does not match a callback registered for this client';
}

