/**
 * The one kit for checking options and arguments. Every factory and function
 * of the library checks what it is given with these, so a programmer's
 * mistake is always a `TypeError` with a Node-style `code` and a message that
 * quotes the option's path (`"options.clock" must be a function`).
 *
 * Each check returns the value, narrowed, or throws; `optional…` checks let
 * `undefined` through (as the fallback, when one is given).
 * @module
 * @internal
 */
import { invalidArgType, invalidArgValue, missingOption } from './errors.js';

/** A non-null object (functions excluded). */
export function object<T extends object = Record<string, unknown>>(value: unknown, path: string, expected = 'an object'): T {
  if (typeof value !== 'object' || value === null) throw invalidArgType(path, expected);
  return value as T;
}

/** `undefined`, or a non-null object. */
export function optionalObject<T extends object = Record<string, unknown>>(value: unknown, path: string, expected = 'an object'): T | undefined {
  return value === undefined ? undefined : object<T>(value, path, expected);
}

/** A function, which must be given. */
export function fn<F extends (...args: never[]) => unknown>(value: unknown, path: string, why = ''): F {
  if (value === undefined && why) throw missingOption(path, why);
  if (typeof value !== 'function') throw invalidArgType(path, 'a function');
  return value as F;
}

/** `undefined`, or a function. */
export function optionalFn<F extends (...args: never[]) => unknown>(value: unknown, path: string): F | undefined {
  return value === undefined ? undefined : fn<F>(value, path);
}

/** A string; `nonEmpty` refuses `''`. */
export function string(value: unknown, path: string, opts: { nonEmpty?: boolean; expected?: string } = {}): string {
  if (typeof value !== 'string') throw invalidArgType(path, opts.expected ?? (opts.nonEmpty ? 'a non-empty string' : 'a string'));
  if (opts.nonEmpty && value.length === 0) throw invalidArgValue(path, 'must not be empty');
  return value;
}

/** `undefined`, or a string. */
export function optionalString(value: unknown, path: string, opts: { nonEmpty?: boolean } = {}): string | undefined {
  return value === undefined ? undefined : string(value, path, opts);
}

/** `undefined` (the fallback), or a boolean. */
export function boolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgType(path, 'a boolean');
  return value;
}

/** `undefined` (the fallback), or a positive safe integer. */
export function positiveInteger(value: unknown, path: string, fallback: number, unit = ''): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidArgType(path, 'a number');
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw invalidArgValue(path, `must be a positive integer${unit ? ` number of ${unit}` : ''}, received ${String(value)}`);
  }
  return value;
}

/** `undefined` (the fallback), or a finite number of seconds, at least `min` (0 by default; a positive minimum excludes 0). */
export function seconds(value: unknown, path: string, fallback: number, opts: { positive?: boolean } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidArgType(path, 'a number of seconds');
  if (!Number.isFinite(value) || value < 0 || (opts.positive === true && value === 0)) {
    throw invalidArgValue(path, `must be a ${opts.positive ? 'positive' : 'non-negative'} finite number of seconds, received ${String(value)}`);
  }
  return value;
}

/** One of a closed list of strings; `undefined` is the fallback when one is given. */
export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgValue(path, `must be ${allowed.map((a) => `'${a}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
  }
  return value as T;
}

/** An array of strings; `nonEmpty` refuses `[]`. */
export function stringArray(value: unknown, path: string, opts: { nonEmpty?: boolean } = {}): string[] {
  if (!Array.isArray(value) || (opts.nonEmpty && value.length === 0)) {
    throw invalidArgType(path, `${opts.nonEmpty ? 'a non-empty' : 'an'} array of strings`);
  }
  for (const [i, item] of value.entries()) if (typeof item !== 'string') throw invalidArgType(`${path}[${i}]`, 'a string');
  return value as string[];
}

/** An absolute http(s) URL, as a string. */
export function absoluteUrl(value: unknown, path: string, example = 'https://api.example.com'): string {
  const text = string(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgValue(path, `must be an absolute URL such as ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidArgValue(path, `must be an http or https URL such as ${example}`);
  return text;
}

/** Refuses options that do not belong (a typo, or an option the caller is not allowed to set here). */
export function forbidden(options: object, names: readonly string[], why: string, path = 'options'): void {
  for (const name of names) {
    if ((options as Record<string, unknown>)[name] !== undefined) throw invalidArgValue(`${path}.${name}`, why);
  }
}
