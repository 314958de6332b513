/**
 * How a phase refuses a request: an {@link OAuthError} labelled with the
 * check that failed. The pipeline stamps the realm and tells `onDebug`, in
 * one place.
 * @module
 * @internal
 */
import { malformed, OAuthError, problemFactory, type OAuthProblem, type OAuthProblemDetails } from '../../core/errors.js';
import type { VerifyCheck } from './types.js';

const labels = new WeakMap<OAuthError, VerifyCheck>();
const realmless = problemFactory(undefined);

/** An error refusing the request at `check` (the realm is stamped by the pipeline). */
export function refuse(check: VerifyCheck, status: number, problem: OAuthProblem, message: string, details: OAuthProblemDetails = {}): OAuthError {
  const err = realmless(status, problem, message, details);
  labels.set(err, check);
  return err;
}

/** 400 `parameter_rejected` at the syntax check. */
export function refuseSyntax(message: string, parameter?: string): OAuthError {
  const err = malformed(message, parameter);
  labels.set(err, 'syntax');
  return err;
}

/** The check an error was raised at, or `fallback` (the phase that was running) for one raised elsewhere. */
export function checkOf(err: unknown, fallback: VerifyCheck): VerifyCheck {
  return err instanceof OAuthError ? (labels.get(err) ?? fallback) : fallback;
}
