/**
 * The problem report an OAuthError carries to the client (OAuth Problem
 * Reporting; RFC 5849 §3.2 statuses): WWW-Authenticate, headers, body, JSON,
 * realm stamping, and how names and realms are made safe for a header or a
 * message. Written to pin behaviour the mutation run (npm run mutation)
 * showed no test held.
 */
import { describe, expect, it } from 'vitest';
import { problemFactory, withRealm } from '../src/core/errors.js';
import { createVerifier, OAuthError, parseAuthorizationHeader, sign } from '../src/index.js';

const reported = new OAuthError(401, 'parameter_absent', 'missing things', {
  realm: 'Photos',
  parametersAbsent: ['oauth_nonce', 'oauth_timestamp'],
  parametersRejected: ['oauth_token', 'x'],
  acceptableVersions: '1.0-1.0',
  acceptableTimestamps: '100-700',
  advice: 'sign again',
  retryAfter: 1.2,
});

describe('OAuthError problem report', () => {
  it('lists every problem field, in order, in the body and in WWW-Authenticate', () => {
    expect(reported.problemParams()).toEqual([
      ['oauth_problem', 'parameter_absent'],
      ['oauth_parameters_absent', 'oauth_nonce&oauth_timestamp'],
      ['oauth_parameters_rejected', 'oauth_token&x'],
      ['oauth_acceptable_versions', '1.0-1.0'],
      ['oauth_acceptable_timestamps', '100-700'],
      ['oauth_problem_advice', 'sign again'],
    ]);
    expect(reported.body).toBe(
      'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp&oauth_parameters_rejected=oauth_token%26x' +
        '&oauth_acceptable_versions=1.0-1.0&oauth_acceptable_timestamps=100-700&oauth_problem_advice=sign%20again',
    );
    expect(reported.wwwAuthenticate).toBe(
      'OAuth realm="Photos", oauth_problem="parameter_absent", oauth_parameters_absent="oauth_nonce&oauth_timestamp", ' +
        'oauth_parameters_rejected="oauth_token&x", oauth_acceptable_versions="1.0-1.0", oauth_acceptable_timestamps="100-700", oauth_problem_advice="sign again"',
    );
  });

  it('reports only the problem when there are no details, and no realm when none was given', () => {
    const bare = new OAuthError(400, 'version_rejected', 'bad version');
    expect(bare.problemParams()).toEqual([['oauth_problem', 'version_rejected']]);
    expect(bare.wwwAuthenticate).toBe('OAuth oauth_problem="version_rejected"');
    expect(bare.body).toBe('oauth_problem=version_rejected');
    expect(bare.realm).toBeUndefined();
    expect(bare.details).toEqual({});
    // Empty lists are not reported.
    expect(new OAuthError(400, 'parameter_absent', 'm', { parametersAbsent: [], parametersRejected: [] }).problemParams()).toHaveLength(1);
  });

  it('sends the headers a response needs; Retry-After only with retryAfter, in whole seconds, never negative', () => {
    expect(reported.headers).toEqual({
      'WWW-Authenticate': reported.wwwAuthenticate,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Cache-Control': 'no-store',
      'Retry-After': '2',
    });
    expect(new OAuthError(401, 'nonce_used', 'm').headers).not.toHaveProperty('Retry-After');
    expect(new OAuthError(503, 'temporarily_unavailable', 'm', { retryAfter: -3 }).headers['Retry-After']).toBe('0');
    expect(new OAuthError(503, 'temporarily_unavailable', 'm', { retryAfter: 0 }).headers['Retry-After']).toBe('0');
  });

  it('has a JSON form for logs: name, status, problem, message and the details (no realm, no cause)', () => {
    expect(JSON.parse(JSON.stringify(new OAuthError(401, 'token_revoked', 'gone', { realm: 'R', advice: 'ask again', cause: new Error('db') })))).toEqual({
      name: 'OAuthError',
      status: 401,
      problem: 'token_revoked',
      message: 'gone',
      advice: 'ask again',
    });
  });

  it('keeps a cause only when one is given', () => {
    const cause = new Error('redis down');
    expect(new OAuthError(503, 'temporarily_unavailable', 'm', { cause }).cause).toBe(cause);
    expect('cause' in new OAuthError(503, 'temporarily_unavailable', 'm')).toBe(false);
  });

  it('is recognised by its brand, across builds, and nothing else is', () => {
    expect(reported instanceof OAuthError).toBe(true);
    expect(reported instanceof Error).toBe(true);
    // The same class from the other build (ESM and CJS load separately) carries the same brand.
    expect({ [Symbol.for('oauth1.OAuthError')]: true } instanceof OAuthError).toBe(true);
    for (const other of [null, undefined, {}, new Error('x'), 'OAuthError', 42, { [Symbol.for('oauth1.OAuthError')]: 'yes' }]) {
      expect(other instanceof OAuthError, String(other)).toBe(false);
    }
  });
});

describe('header-safe values', () => {
  it('quotes a realm and percent-encodes what a header cannot carry, a run of characters at a time', () => {
    const err = (realm: string): string => new OAuthError(401, 'signature_invalid', 'm', { realm }).wwwAuthenticate;
    expect(err('a "quoted" \\ realm')).toBe('OAuth realm="a \\"quoted\\" \\\\ realm", oauth_problem="signature_invalid"');
    expect(err('é')).toBe('OAuth realm="%C3%A9", oauth_problem="signature_invalid"');
    expect(err('Café\r\nX-Evil: 1')).toBe('OAuth realm="Caf%C3%A9%0D%0AX-Evil: 1", oauth_problem="signature_invalid"');
    // A character outside the BMP is one run, two UTF-16 units: encoded whole.
    expect(err('𝄞')).toBe('OAuth realm="%F0%9D%84%9E", oauth_problem="signature_invalid"');
    expect(err('')).toBe('OAuth realm="", oauth_problem="signature_invalid"');
  });

  it('names a parameter in a message printable and short: control characters as "?", at most 40 characters then "..."', () => {
    const repeated = (name: string): string => {
      const header = `OAuth ${encodeURIComponent(name)}="1", ${encodeURIComponent(name)}="2"`;
      try {
        parseAuthorizationHeader(header);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(repeated('oauth_a\nb c')).toContain('"oauth_a?b?c"');
    const forty = `oauth_${'x'.repeat(34)}`;
    expect(repeated(forty)).toContain(`"${forty}"`);
    const long = `${forty}yz`;
    expect(repeated(long)).toContain(`"${forty}..."`);
    expect(repeated(long)).not.toContain('xyz');
  });
});

describe('realm stamping', () => {
  it('a verifier with a realm answers every refusal with it; one without answers none', async () => {
    const request = { method: 'GET', url: 'https://api.example.com/r', headers: { Authorization: 'OAuth oauth_consumer_key="k"' } };
    const withRealm = createVerifier({ lookupClient: () => undefined, tokenRequired: false, realm: 'Photos' });
    const err = (await withRealm.verify(request).catch((e: unknown) => e)) as OAuthError;
    expect(err.realm).toBe('Photos');
    expect(err.wwwAuthenticate.startsWith('OAuth realm="Photos", oauth_problem=')).toBe(true);
    const without = createVerifier({ lookupClient: () => undefined, tokenRequired: false });
    const bare = (await without.verify(request).catch((e: unknown) => e)) as OAuthError;
    expect(bare.realm).toBeUndefined();
    expect(bare.wwwAuthenticate).not.toContain('realm=');
  });

  it('a signed request refused after the lookups carries the realm too', async () => {
    const signed = sign({ method: 'GET', url: 'https://api.example.com/r' }, { client: { key: 'k', secret: 's' }, timestamp: 1000 });
    const verifier = createVerifier({ lookupClient: () => ({ secret: 'other' }), tokenRequired: false, realm: 'R', clock: () => 1_000_000 });
    const err = (await verifier.verify(signed).catch((e: unknown) => e)) as OAuthError;
    expect(err.problem).toBe('signature_invalid');
    expect(err.realm).toBe('R');
  });

  it('problemFactory stamps its realm; withRealm copies an error into another realm, keeping details and cause', () => {
    expect(problemFactory('A')(401, 'nonce_used', 'm', { advice: 'x' })).toMatchObject({ realm: 'A', details: { advice: 'x' } });
    expect(problemFactory(undefined)(401, 'nonce_used', 'm').realm).toBeUndefined();
    const cause = new Error('c');
    const original = new OAuthError(401, 'nonce_used', 'm', { realm: 'A', advice: 'x', cause });
    expect(withRealm(original, 'A')).toBe(original);
    const moved = withRealm(original, 'B') as OAuthError;
    expect(moved).not.toBe(original);
    expect(moved).toMatchObject({ realm: 'B', status: 401, problem: 'nonce_used', message: 'm', details: { advice: 'x' } });
    expect(moved.cause).toBe(cause);
    const unstamped = withRealm(original, undefined) as OAuthError;
    expect(unstamped.realm).toBeUndefined();
    expect('cause' in (withRealm(new OAuthError(401, 'nonce_used', 'm'), 'B') as OAuthError)).toBe(false);
    const plain = new Error('not an OAuthError');
    expect(withRealm(plain, 'B')).toBe(plain);
  });
});
