/**
 * The short run of the differential properties against python3-oauthlib
 * (test/property/differential.ts): a few hundred generated requests in all,
 * through one long-running oauthlib process. `npm run fuzz` runs the same
 * properties with tens of thousands of cases.
 *
 * Needs /usr/bin/python3 with python3-oauthlib, python3-cryptography and
 * python3-jwt; skipped with the reason printed when they are missing, except
 * in CI (`CI` set), where it fails.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startOauthlibWorker, type OauthlibWorker } from '../helpers/oauthlib-worker.js';
import { assertOauthlib, oauthlibGate } from '../helpers/python.js';
import { acceptedByBoth, clientAgreement, pathAsSent } from './differential.js';
import { PropertyStats } from './harness.js';

const gate = oauthlibGate();
if (gate.skip) console.warn(`[property/differential] ${gate.reason}`);
const suite = describe.skipIf(gate.skip);

const RUNS = 120;

suite('differential properties against python3-oauthlib (short run)', () => {
  let worker: OauthlibWorker;
  const stats = { client: new PropertyStats(), accepted: new PropertyStats(), path: new PropertyStats() };

  beforeAll(() => {
    assertOauthlib();
    worker = startOauthlibWorker();
  });
  afterAll(async () => {
    await worker?.stop();
    for (const [name, s] of Object.entries(stats)) console.info(`[property/differential] ${name}: ${s.summary()}`);
  });

  it('oauthlib\'s Client and sign() compute the same base string and signature; our verifier accepts what oauthlib signs', async () => {
    await fc.assert(clientAgreement(worker, stats.client), { numRuns: RUNS });
  });

  it('what sign() produces is accepted by oauthlib\'s endpoints and by our verifier', async () => {
    await fc.assert(acceptedByBoth(worker, stats.accepted), { numRuns: RUNS });
  });

  // Open: issue 9, finding 1 (the lead's fix on main). it.fails asserts the
  // property fails today; when the fix lands, this becomes a plain it().
  it.fails('sign() signs a path with dot segments or backslashes as it sends it, or refuses it (issue 9, finding 1)', async () => {
    await fc.assert(pathAsSent(worker, stats.path), { numRuns: 40 });
  });
});
