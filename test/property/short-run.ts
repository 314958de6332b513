/**
 * The short run of one group of the catalog, as a vitest suite: a few dozen
 * to a few hundred cases per property, so that `npm test` stays fast. An
 * entry with `openFinding` is expected to fail (it.fails) until its fix lands.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startOauthlibWorker, type OauthlibWorker } from '../helpers/oauthlib-worker.js';
import { assertOauthlib, oauthlibGate } from '../helpers/python.js';
import { CATALOG, type CatalogEntry } from './catalog.js';
import { PropertyStats } from './harness.js';

/** Whether this is a mutation run (vitest.mutation.config.ts sets it). */
const mutationRun = process.env['OAUTH1_MUTATION_RUN'] === '1';

export function shortRun(group: CatalogEntry['group']): void {
  const entries = CATALOG.filter((e) => e.group === group);
  const needsOauthlib = entries.some((e) => e.oauthlib);
  const gate = needsOauthlib ? oauthlibGate() : { skip: false, reason: '' };
  if (gate.skip) console.warn(`[property/${group}] ${gate.reason}`);

  describe.skipIf(gate.skip)(`${group} properties (short run)`, () => {
    let worker: OauthlibWorker | undefined;
    const stats = new Map<string, PropertyStats>();
    beforeAll(() => {
      if (!needsOauthlib) return;
      assertOauthlib();
      worker = startOauthlibWorker();
    });
    afterAll(async () => {
      await worker?.stop();
      for (const [id, s] of stats) console.info(`[property/${group}] ${id}: ${s.summary()}`);
    });

    for (const entry of entries) {
      // A mutation run (vitest.mutation.config.ts) leaves open findings out: their expected failure says nothing about a mutant.
      if (entry.openFinding !== undefined && mutationRun) continue;
      const test = entry.openFinding === undefined ? it : it.fails;
      test(entry.title, async () => {
        const s = new PropertyStats();
        stats.set(entry.id, s);
        // The worker exists whenever an oauthlib entry runs (beforeAll started it).
        // A mutation run repeats this for every mutant it covers: a third of the cases (fixed seed, see fixed-seed.ts).
        const numRuns = mutationRun ? Math.ceil(entry.shortRuns / 3) : entry.shortRuns;
        await fc.assert(entry.make({ worker: worker as OauthlibWorker, stats: s }), { numRuns });
      });
    }
  });
}
