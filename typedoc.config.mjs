// API docs: the entry points come from package.json `exports` (scripts/entries.mjs).
import { libraryEntries } from './scripts/entries.mjs';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: libraryEntries.map((e) => e.source),
  out: 'docs/api',
  name: 'oauth1',
  readme: 'README.md',
  excludeInternal: true,
  excludePrivate: true,
  categorizeByGroup: true,
  treatWarningsAsErrors: false,
};
