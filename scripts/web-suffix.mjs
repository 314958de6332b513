// The web build's one difference, as an esbuild plugin: a relative import of
// `x.js` whose source has a `x.web.ts` neighbour loads that file instead.
// TypeScript does the same for the web build's declarations and type check
// with `moduleSuffixes: ['.web', '']` (tsup.config.ts, tsconfig.web.json).
// Only src/methods/crypto/index.ts has such a neighbour.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** @type {import('esbuild').Plugin} */
export const webSuffix = {
  name: 'oauth1-web-suffix',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const candidate = resolve(args.resolveDir, args.path.replace(/\.js$/, '.web.ts'));
      return existsSync(candidate) ? { path: candidate } : undefined;
    });
  },
};
