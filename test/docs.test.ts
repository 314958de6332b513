// The documentation as a user meets it: `npm run docs` builds the site with no
// warning (typedoc.config.mjs sets treatWarningsAsErrors), its modules are
// named by their import path, every function of the reference has an example,
// every guide is a page of the site, every relative link of the Markdown
// files leads somewhere, every command transcript prints what the page says,
// and every program of docs/examples/ type-checks against the built package.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryEntries } from '../scripts/entries.mjs';
import { regenerate } from '../scripts/provider-docs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** Markdown files users read: README, CHANGELOG, SECURITY, docs/ (not the built site), vectors/README. */
function markdownFiles(): string[] {
  const out = ['README.md', 'CHANGELOG.md', 'SECURITY.md', 'vectors/README.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (path === 'docs/site') continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  walk('docs');
  return out;
}

interface Reflection {
  name: string;
  kind: number;
  variant?: string;
  children?: Reflection[];
  documents?: Reflection[];
  signatures?: Array<{ comment?: { blockTags?: Array<{ tag: string }> } }>;
  comment?: { blockTags?: Array<{ tag: string }> };
}
const KIND = { module: 2, interface: 256, function: 64 };

// `npm run docs` is build + typedoc + a copy of the debugger page; the build is
// npm test's own first step (building again here would pull dist/ from under
// the test files running beside this one), so this runs typedoc with the same
// configuration, and a JSON copy of the reference to inspect.
describe('npm run docs (typedoc)', { timeout: 240_000 }, () => {
  let build: { status: number | null; output: string };
  let project: Reflection;
  beforeAll(() => {
    const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
    const r = spawnSync(process.execPath, [typedoc, '--json', '.tmp/docs-api.json'], { cwd: root, encoding: 'utf8', timeout: 230_000 });
    build = { status: r.status, output: `${r.stdout}\n${r.stderr}` };
    if (r.status === 0) project = JSON.parse(read('.tmp/docs-api.json')) as Reflection;
  }, 240_000);

  it('builds the site with no warning and no error', () => {
    expect(build.output).not.toMatch(/\[warning\]|\[error\]/);
    expect(build.status, build.output).toBe(0);
    expect(existsSync(join(root, 'docs/site/index.html'))).toBe(true);
  });

  it('names each module by its import path, one per entry point of package.json exports', () => {
    const modules = (project.children ?? []).filter((c) => c.kind === KIND.module).map((c) => c.name);
    expect(modules.sort()).toEqual(libraryEntries.map((e) => e.subpath).sort());
  });

  it('shows an example for every function, and a whole example for the main option and result types', () => {
    const tags = (r: Reflection): string[] => [...(r.comment?.blockTags ?? []), ...(r.signatures ?? []).flatMap((s) => s.comment?.blockTags ?? [])].map((t) => t.tag);
    const missing: string[] = [];
    for (const mod of project.children ?? []) {
      for (const r of mod.children ?? []) {
        const required = r.kind === KIND.function || (r.kind === KIND.interface && ['SignOptions', 'SignedRequest', 'VerifierOptions', 'VerifiedRequest'].includes(r.name));
        if (required && !tags(r).includes('@example')) missing.push(`${mod.name}.${r.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('renders every guide as a page of the site', () => {
    const titles = new Set<string>();
    const collect = (docs: Reflection[] | undefined): void => {
      for (const d of docs ?? []) {
        titles.add(d.name);
        collect(d.children);
      }
    };
    collect(project.documents);
    // docs/design/ holds maintainers' design notes, not pages of the site.
    const guides = markdownFiles().filter((f) => f.startsWith('docs/') && !f.startsWith('docs/design/'));
    const untitled = guides.filter((f) => !/^---\ntitle: /.test(read(f)));
    expect(untitled, 'every page under docs/ starts with a frontmatter title').toEqual([]);
    const unrendered = guides.filter((f) => {
      const title = /^title: (.*)$/m.exec(read(f))?.[1]?.replace(/^(['"])(.*)\1$/, '$2') ?? '';
      return !titles.has(title);
    });
    expect(unrendered, 'list these in typedoc.config.mjs projectDocuments, or as children of a listed page').toEqual([]);
  });
});

describe('entry points', () => {
  it('carry an @module tag with their import path, as package.json exports declares it', () => {
    for (const entry of libraryEntries) {
      expect(/@module (\S+)/.exec(read(entry.source))?.[1], entry.source).toBe(entry.subpath);
    }
  });
});

describe('Markdown files', () => {
  it('link only to files that exist', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      // Code spans and blocks are not links.
      const text = read(file).replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/i.test(target)) continue;
        const path = resolve(dirname(join(root, file)), decodeURIComponent(target.replace(/#.*$/, '')));
        if (!existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('show command transcripts that are true: each `$ npx oauth1 …` block prints the text block after it', () => {
    const cli = join(root, 'dist/cli/bin.js');
    let transcripts = 0;
    for (const file of markdownFiles()) {
      for (const m of read(file).matchAll(/^```sh\n\$ npx oauth1 (.+)\n```\n```text\n([\s\S]*?)^```/gm)) {
        transcripts++;
        const [, args = '', expected = ''] = m;
        // The shell reads the arguments as the reader's shell would; `oauth1` is the built CLI.
        const r = spawnSync('bash', ['-c', `"$NODE" "$CLI" ${args}`], { encoding: 'utf8', env: { ...process.env, NODE: process.execPath, CLI: cli } });
        expect(r.stdout, `${file}: oauth1 ${args.slice(0, 60)}…`).toBe(expected);
      }
    }
    expect(transcripts).toBeGreaterThan(0);
  });
});

describe('docs/guides/providers.md', () => {
  it('describes each provider as its profile does (node scripts/provider-docs.mjs --write regenerates it)', async () => {
    const guide = read('docs/guides/providers.md');
    expect(guide).toBe(await regenerate(guide));
  });
});

describe('README.md', () => {
  const readme = read('README.md');
  it('stays short: what, why, install, two examples, the set-up commands, links to the guides', () => {
    expect(readme.match(/^```ts$/gm)?.length).toBe(2);
    expect(readme.split('\n').length).toBeLessThan(120);
    expect(readme).toMatch(/^npm install oauth1$/m);
    for (const guide of readdirSync(join(root, 'docs/guides')).filter((f) => f.endsWith('.md'))) {
      expect(readme, `README links docs/guides/${guide}`).toContain(`docs/guides/${guide}`);
    }
  });

  it('gives the two set-up commands, and package.json has them', () => {
    expect(readme).toMatch(/^npm ci && npm run demo /m);
    expect(readme).toMatch(/^npm test /m);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['demo', 'test', 'docs']));
  });
});

describe('the package page', { timeout: 120_000 }, () => {
  it('ships what the docs tell users of an installed package to run, and names its repository', () => {
    const out = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    // docs/conformance.md: npx --no-install oauth1 conformance --exec "python3 node_modules/oauth1/docs/examples/conformance_adapter.py"
    expect(read('docs/conformance.md')).toContain('node_modules/oauth1/docs/examples/conformance_adapter.py');
    expect(files).toEqual(expect.arrayContaining(['docs/examples/conformance_adapter.py', 'CHANGELOG.md', 'SECURITY.md', 'README.md', 'LICENSE']));
    const pkg = JSON.parse(read('package.json')) as Record<string, unknown>;
    for (const field of ['repository', 'homepage', 'bugs', 'author', 'keywords', 'license']) expect(pkg[field], field).toBeDefined();
    expect(read('CHANGELOG.md')).toMatch(/^## \[Unreleased\]$/m);
  });
});

describe('docs/examples/', { timeout: 120_000 }, () => {
  it('type-check against the built package, strictly', () => {
    const dir = join(root, 'docs/examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(files.length).toBeGreaterThan(5);
    expect(diagnostics).toEqual([]);
  });
});
