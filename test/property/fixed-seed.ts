/**
 * Mutation runs only (vitest.mutation.config.ts): the property tests use one
 * fixed seed, so that whether a mutant is killed does not depend on the run.
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env['MUTATION_SEED'] ?? 5849) });
