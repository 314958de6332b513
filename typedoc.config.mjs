// The documentation site: the API reference of every entry point (derived from
// package.json `exports` by scripts/entries.mjs, each module named by its
// import path through its `@module` tag) and the guides, rendered as project
// documents. Any warning fails the build (test/docs.test.ts runs it).
import { readFileSync } from 'node:fs';
import { libraryEntries } from './scripts/entries.mjs';

// Source links point at package.json's repository, whatever git remotes the
// checkout has (a clone's "origin" may be a path or a mirror typedoc cannot read).
const repository = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: libraryEntries.map((e) => e.source),
  // Only the sources: the tests are type-checked by their own runs.
  tsconfig: 'tsconfig.docs.json',
  out: 'docs/site',
  name: 'oauth1',
  readme: 'README.md',
  // The guides (children listed in each one's frontmatter), then the reference documents.
  projectDocuments: [
    'docs/guides/getting-started.md',
    'docs/guides/servers.md',
    'docs/guides/proxies.md',
    'docs/guides/many-processes.md',
    'docs/guides/three-legged-flow.md',
    'docs/guides/lti.md',
    'docs/guides/providers.md',
    'docs/guides/edge-runtimes.md',
    'docs/guides/troubleshooting.md',
    'docs/guides/migrating.md',
    'docs/security.md',
    'docs/conformance.md',
    'vectors/README.md',
    'docs/interop.md',
    'docs/benchmarks.md',
    'CHANGELOG.md',
    'SECURITY.md',
  ],
  excludeInternal: true,
  excludePrivate: true,
  categorizeByGroup: true,
  groupOrder: ['Guides', 'Reference', 'Project', 'Modules', '*'],
  sourceLinkTemplate: `${repository}/blob/{gitRevision}/{path}#L{line}`,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, invalidPath: true, rewrittenLink: true, unusedMergeModuleWith: true },
};
