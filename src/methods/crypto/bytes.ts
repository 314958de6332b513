/**
 * Bytes without `Buffer`: UTF-8 through `TextEncoder`/`TextDecoder`, base64
 * and base64url by table. The WebCrypto back end uses these so that no module
 * of the web build touches a Node global.
 * @module
 * @internal
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Index of each character code in either alphabet ("+" "-" are 62, "/" "_" 63); -1 elsewhere.
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  DECODE[ALPHABET.charCodeAt(i)] = i;
  DECODE[URL_ALPHABET.charCodeAt(i)] = i;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as `Buffer.from(s, 'utf8')` does). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** The string UTF-8 bytes spell (ill-formed sequences become U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet.charAt(v >>> 18) + alphabet.charAt((v >>> 12) & 63) + alphabet.charAt((v >>> 6) & 63) + alphabet.charAt(v & 63);
  }
  const rest = n - i;
  if (rest > 0) {
    const v = ((bytes[i] ?? 0) << 16) | (rest === 2 ? (bytes[i + 1] ?? 0) << 8 : 0);
    out += alphabet.charAt(v >>> 18) + alphabet.charAt((v >>> 12) & 63) + (rest === 2 ? alphabet.charAt((v >>> 6) & 63) : '');
    if (pad) out += rest === 2 ? '=' : '==';
  }
  return out;
}

/** Base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  return encode(bytes, ALPHABET, true);
}

/** Base64url without padding (RFC 4648 §5), as JWK and URL-safe tokens use it. */
export function toBase64url(bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, false);
}

/**
 * Decodes base64 or base64url, padded or not; whitespace is skipped (PEM
 * bodies are wrapped). Returns undefined for any other character, a lone
 * sixth character, or padding in the middle. Unused low bits of the last
 * character are ignored, as Node's decoder ignores them.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let bits = 0;
  let acc = 0;
  let length = 0;
  let symbols = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) {
      padding++;
      continue;
    }
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0 || padding > 0) return undefined;
    symbols++;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (acc >>> bits) & 0xff;
    }
  }
  if (symbols % 4 === 1 || padding > 2 || (padding > 0 && (symbols + padding) % 4 !== 0)) return undefined;
  return out.slice(0, length);
}
