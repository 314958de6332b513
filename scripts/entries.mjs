// The package's entry points, derived from package.json: `exports` (and `bin`)
// is the one manifest. tsup, typedoc and the package test read their lists
// from here, so an entry point is declared once.
//
// Rule: `./dist/<p>.js` is built from `./src/<p>.ts`.
// Web build: a subpath whose exports list the web conditions (WEB_CONDITIONS,
// each pointing at the same target, before the Node targets) has a second
// build, `./dist/web/<p>.js`, from the same `./src/<p>.ts` with every module
// that has a `.web.ts` neighbour replaced by it (only src/methods/crypto/ has).
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

/** The export conditions that select the web build (WebCrypto), in the order package.json lists them. */
export const WEB_CONDITIONS = ['workerd', 'worker', 'browser', 'deno', 'edge-light'];

function webTarget(key, target) {
  if (typeof target !== 'object' || target === null) return undefined;
  const listed = WEB_CONDITIONS.filter((c) => c in target);
  if (listed.length === 0) return undefined;
  const keys = Object.keys(target);
  const json = JSON.stringify(target[WEB_CONDITIONS[0]]);
  if (listed.length !== WEB_CONDITIONS.length || keys.slice(0, WEB_CONDITIONS.length).join() !== WEB_CONDITIONS.join() || listed.some((c) => JSON.stringify(target[c]) !== json)) {
    throw new Error(`package.json exports["${key}"] must list ${WEB_CONDITIONS.join(', ')} first, each with the same target`);
  }
  return esmTarget(target[WEB_CONDITIONS[0]]);
}

/** Web build entry points: `{ subpath: 'oauth1/fetch', name: 'web/adapters/fetch', source: 'src/adapters/fetch.ts' }`. */
export const webEntries = Object.entries(pkg.exports).flatMap(([key, target]) => {
  const file = webTarget(key, target);
  if (file === undefined) return [];
  const node = libraryEntries.find((e) => e.subpath === (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
  const m = /^\.\/dist\/web\/(.+)\.js$/.exec(file);
  if (!m || !node || m[1] !== node.name) throw new Error(`package.json exports["${key}"]: the web build must be ./dist/web/${node?.name ?? '<p>'}.js`);
  return [{ subpath: node.subpath, name: `web/${m[1]}`, source: node.source }];
});

/** Executables (`bin`), built as ESM with a shebang. */
export const binEntries = Object.values(pkg.bin ?? {}).map((file) => {
  const entry = toEntry(file);
  if (!entry) throw new Error(`package.json bin "${file}" does not point at ./dist/<p>.js`);
  return entry;
});
