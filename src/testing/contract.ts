/**
 * What the contract suites share: a check is a name and an async function
 * that throws when the store breaks the contract, so that any test runner
 * (vitest, jest, mocha, node:test) can run them.
 * @module
 * @internal
 */

/**
 * One check of a contract suite: run it in any test runner; it rejects with
 * an `Error` that says what the store did wrong.
 *
 * @example node:test
 * ```ts
 * import { test } from 'node:test';
 * for (const check of providerStoreContract({ makeStore })) test(check.name, check.run);
 * ```
 * @group Testing
 */
export interface ContractCheck {
  /** What is checked, as a sentence. */
  name: string;
  /** Rejects with an `Error` naming the broken rule. */
  run(): Promise<void>;
}

/** A broken rule of a contract. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/** Throws a ContractError with `message` unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new ContractError(message);
}

/** A value for messages: JSON, cut short. */
export function show(value: unknown): string {
  let out: string;
  try {
    out = JSON.stringify(value) ?? String(value);
  } catch {
    out = String(value);
  }
  return out.length > 200 ? `${out.slice(0, 200)}…` : out;
}

/** Whether `actual` has each of `expected`'s own properties, equal as JSON. */
export function hasFields(actual: unknown, expected: Record<string, unknown>): boolean {
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([name, value]) => JSON.stringify((actual as Record<string, unknown>)[name]) === JSON.stringify(value));
}

/** Waits `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let counter = 0;

/** A key no other check of this process uses (the stores may be shared with earlier runs: the time is part of it). */
export function uniqueKey(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}`;
}
