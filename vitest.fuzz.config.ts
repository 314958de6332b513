// `npm run fuzz`: the long run of the generated-request properties
// (test/property/fuzz.run.ts), kept out of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/property/fuzz.run.ts'],
    testTimeout: 24 * 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
