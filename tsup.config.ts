import { defineConfig } from 'tsup';
// Entry points come from package.json `exports` and `bin` (scripts/entries.mjs).
import { binEntries, libraryEntries, webEntries } from './scripts/entries.mjs';
import { webSuffix } from './scripts/web-suffix.mjs';

const common = { clean: false, target: 'node20', platform: 'node', sourcemap: false } as const;

export default defineConfig([
  {
    ...common,
    entry: Object.fromEntries(libraryEntries.map((e) => [e.name, e.source])),
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    treeshake: true,
  },
  {
    // The web build (WebCrypto): the same sources, each `.web.ts` file in
    // place of its neighbour, for workers, edge runtimes, Deno and browsers.
    // Its declarations are compiled without Node's types: a Node API reached
    // from these entry points fails the build.
    ...common,
    platform: 'neutral',
    target: 'es2022',
    outDir: 'dist/web',
    entry: Object.fromEntries(webEntries.map((e) => [e.name.replace(/^web\//, ''), e.source])),
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { moduleSuffixes: ['.web', ''], types: [] } },
    esbuildPlugins: [webSuffix],
    splitting: true,
    treeshake: true,
  },
  {
    // The signature debugger page (`oauth1 debugger`, and the published docs):
    // not an entry point of the package but a static page, bundled for
    // browsers from the web build's sources; src/debugger/static is copied beside it.
    ...common,
    platform: 'browser',
    target: 'es2022',
    outDir: 'dist/debugger',
    entry: { debugger: 'src/debugger/page.ts' },
    format: ['esm'],
    dts: false,
    esbuildPlugins: [webSuffix],
    splitting: false,
    minify: true,
    publicDir: 'src/debugger/static',
  },
  {
    ...common,
    entry: Object.fromEntries(binEntries.map((e) => [e.name, e.source])),
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
