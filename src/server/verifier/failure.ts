/**
 * How a phase refuses a request: an {@link OAuthError} labelled with the
 * check that failed (and, for the debug hook only, the exact cause behind a
 * generic answer). The pipeline stamps the realm and tells `onDebug`, in one
 * place.
 * @module
 * @internal
 */
import { malformed, OAuthError, problemFactory, type OAuthProblem, type OAuthProblemDetails } from '../../core/errors.js';
import type { VerifyCheck, VerifyDebugInfo } from './types.js';

/** What the debug hook learns of a refusal besides the error itself. */
export interface RefusalNote {
  check: VerifyCheck;
  cause?: string;
  configurationError?: string;
}

const notes = new WeakMap<OAuthError, RefusalNote>();
const realmless = problemFactory(undefined);

/** An error refusing the request at `check` (the realm is stamped by the pipeline). */
export function refuse(check: VerifyCheck, status: number, problem: OAuthProblem, message: string, details: OAuthProblemDetails = {}): OAuthError {
  const err = realmless(status, problem, message, details);
  notes.set(err, { check });
  return err;
}

/** The same, with what only the server's log may know. */
export function refuseNoting(err: OAuthError, note: RefusalNote): OAuthError {
  notes.set(err, note);
  return err;
}

/** 400 `parameter_rejected` at the syntax check. */
export function refuseSyntax(message: string, parameter?: string): OAuthError {
  const err = malformed(message, parameter);
  notes.set(err, { check: 'syntax' });
  return err;
}

/** What the debug hook is told of an error raised while `fallback` (a phase) ran. */
export function noteOf(err: unknown, fallback: VerifyCheck): Pick<VerifyDebugInfo, 'check' | 'cause' | 'configurationError'> {
  const note = err instanceof OAuthError ? notes.get(err) : undefined;
  if (note === undefined) return { check: fallback };
  return {
    check: note.check,
    ...(note.cause !== undefined ? { cause: note.cause } : {}),
    ...(note.configurationError !== undefined ? { configurationError: note.configurationError } : {}),
  };
}
