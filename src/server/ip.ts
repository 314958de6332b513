/**
 * IP addresses and ranges, for deciding which proxies to trust (the way
 * proxy-addr does for Express: addresses, CIDR ranges and the named ranges
 * `loopback`, `linklocal` and `uniquelocal`).
 * @module
 * @internal
 */
import { invalidArgValue } from '../core/errors.js';

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), or undefined when the text is not an IP address. */
export function parseIp(text: string): Uint8Array | undefined {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return mapped(v4);
  return parseIpv6(address.replace(/%.*$/, ''));
}

function mapped(v4: number[]): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(?:0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : 256));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function groupsOf(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    const v4 = i === parts.length - 1 && part.includes('.') ? parseIpv4(part) : undefined;
    if (v4 !== undefined) {
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) out.push(parseInt(part, 16));
    else return undefined;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** A range: the first `bits` bits of `base`. */
interface Range {
  base: Uint8Array;
  bits: number;
}

const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

function parseRange(text: string, path: string): Range {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const base = parseIp(addressText);
  if (base === undefined) throw invalidArgValue(path, `is not an IP address, a CIDR range or one of ${Object.keys(NAMED).join(', ')}`);
  const isV4 = parseIpv4(addressText) !== undefined;
  const given = slash === -1 ? (isV4 ? 32 : 128) : Number(text.slice(slash + 1));
  const max = isV4 ? 32 : 128;
  if (!Number.isInteger(given) || given < 0 || given > max) throw invalidArgValue(path, `has a prefix length outside 0-${max}`);
  return { base, bits: isV4 ? given + 96 : given };
}

function inRange(address: Uint8Array, range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const take = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit >> 3;
    if (((address[i] ?? 0) & mask) !== ((range.base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** A predicate over address text from a list of addresses, CIDR ranges and named ranges (checked now: a TypeError names a bad entry). */
export function addressMatcher(list: readonly string[], path: string): (address: string) => boolean {
  const ranges = list.flatMap((entry, i) => (NAMED[entry] ?? [entry]).map((text) => parseRange(text, `${path}[${i}]`)));
  return (address) => {
    const ip = parseIp(address);
    return ip !== undefined && ranges.some((r) => inRange(ip, r));
  };
}

/** Whether an address is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export const isLoopbackAddress = addressMatcher(['loopback'], 'loopback');
