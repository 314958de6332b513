// The tests Stryker runs against each mutant of src/core, src/methods and
// src/server/verifier (`npm run mutation`, stryker.config.mjs). Left out, and
// why (each either spawns processes per run or tests other modules; the same
// behaviour of the mutated modules is asserted in-process by the suites kept):
// - interop-*.test.ts: peers (oauthlib, PECL, Perl, Ruby, liboauth) in child
//   processes; what they confirm is pinned in vectors/ (vectors.test.ts and
//   verify-vectors.test.ts run those in-process), and property/differential
//   needs a python process; property/mutation and property/security stay.
// - redis*.test.ts: a redis-server; the Redis store is not mutated.
// - package, demo, cli, conformance, explain: build or spawn dist/ (which a
//   mutant of src/ does not change) and test the CLI and client explain.
// - adapters/**: real HTTP servers per framework (in-process, no child
//   processes, but 2,600 tests: with nonce-store.test.ts, 145 s in one worker
//   on the 2-core machine, against 23 s for every kept suite). Whether they
//   would kill a mutant the kept suites miss has not been measured; the
//   verifier's answers they check are asserted in-process by
//   verifier-phases.test.ts and verifier.test.ts.
// - lti.test.ts and nonce-store.test.ts test modules that are not mutated
//   (src/profiles/lti.ts, src/server/nonce-store.ts); they reach the mutated
//   ones only on the way (a dozen python processes, a 14-second capacity run),
//   which every mutant they cover would pay for again.
// The property tests run a third of their short-run cases, with a fixed seed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'node_modules/**',
      'test/bench/**',
      'test/interop-*.test.ts',
      'test/redis*.test.ts',
      'test/package.test.ts',
      'test/demo.test.ts',
      'test/cli.test.ts',
      'test/conformance.test.ts',
      'test/explain.test.ts',
      'test/adapters/**',
      'test/property/differential.test.ts',
      'test/lti.test.ts',
      'test/nonce-store.test.ts',
    ],
    setupFiles: ['test/property/fixed-seed.ts'],
    // Open findings (it.fails in the short run) say nothing about a mutant: left out.
    env: { OAUTH1_MUTATION_RUN: '1' },
    // One module graph for every test file: a mutant run re-imports nothing
    // (Stryker switches mutants at run time). 16 s instead of 54 s for the
    // whole kept suite in one worker; every test passes either way.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
