// Mutation testing of the modules that decide what is signed and what is
// accepted: src/core, src/methods and src/server/verifier. On demand only
// (`npm run mutation`), never in `npm test` or CI. Reports: reports/mutation/.
// See docs/security.md, "Mutation testing", for the scores and the surviving
// mutants judged equivalent.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // The vitest runner always records which tests cover which mutant (perTest)
  // and runs only those for each mutant.
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts', 'src/methods/**/*.ts', 'src/server/verifier/**/*.ts'],
  // Two cores: one vitest worker each.
  concurrency: 2,
  timeoutMS: 5_000,
  timeoutFactor: 2,
  ignoreStatic: true,
  incremental: process.env.STRYKER_INCREMENTAL === '1',
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 85, low: 70, break: null },
};
