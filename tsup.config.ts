import { defineConfig } from 'tsup';
// Entry points come from package.json `exports` and `bin` (scripts/entries.mjs).
import { binEntries, libraryEntries } from './scripts/entries.mjs';

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
    ...common,
    entry: Object.fromEntries(binEntries.map((e) => [e.name, e.source])),
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
