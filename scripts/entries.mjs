// The package's entry points, derived from package.json: `exports` (and `bin`)
// is the one manifest. tsup, typedoc and the package test read their lists
// from here, so an entry point is declared once.
//
// Rule: `./dist/<p>.js` is built from `./src/<p>.ts`.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The ESM file an export condition object (or string) resolves to. */
function esmTarget(target) {
  if (typeof target === 'string') return target;
  const chosen = target.import ?? target.node?.import ?? target.default;
  return typeof chosen === 'string' ? chosen : chosen?.default;
}

function toEntry(distFile) {
  const m = /^\.\/dist\/(.+)\.js$/.exec(distFile ?? '');
  if (!m) return undefined;
  return { name: m[1], source: `src/${m[1]}.ts` };
}

/** Library entry points: `{ subpath: 'oauth1/redis', name: 'stores/redis', source: 'src/stores/redis.ts' }`. */
export const libraryEntries = Object.entries(pkg.exports)
  .filter(([key]) => !key.includes('*') && key !== './package.json')
  .map(([key, target]) => {
    const entry = toEntry(esmTarget(target));
    if (!entry) throw new Error(`package.json exports["${key}"] does not point at ./dist/<p>.js`);
    return { subpath: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, ...entry };
  });

/** Executables (`bin`), built as ESM with a shebang. */
export const binEntries = Object.values(pkg.bin ?? {}).map((file) => {
  const entry = toEntry(file);
  if (!entry) throw new Error(`package.json bin "${file}" does not point at ./dist/<p>.js`);
  return entry;
});
