/**
 * The TypeScript blocks of the documentation (README.md, docs/**\/*.md), for
 * the tests that type-check and run them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Block {
  /** `README.md:42`: where the block starts. */
  where: string;
  code: string;
}

/** The ```ts blocks of one Markdown file (```ts ignore blocks left out). */
export function tsBlocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: { line: number; code: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open === undefined) {
      if (/^```(ts|typescript)\s*$/.test(line)) open = { line: i + 1, code: [] };
      return;
    }
    if (/^```\s*$/.test(line)) {
      blocks.push({ where: `${file}:${open.line}`, code: open.code.join('\n') });
      open = undefined;
    } else open.code.push(line);
  });
  return blocks;
}

export function markdownFiles(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'api' ? [] : docs(join(dir, e.name))) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return ['README.md', ...docs('docs')];
}

function hasTopLevelAwait(node: ts.Node): boolean {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
  return ts.forEachChild(node, hasTopLevelAwait) === true;
}

const stays = (s: ts.Statement): boolean =>
  ts.isImportDeclaration(s) ||
  ts.isImportEqualsDeclaration(s) ||
  ts.isExportDeclaration(s) ||
  ts.isExportAssignment(s) ||
  ts.isModuleDeclaration(s) ||
  ts.isInterfaceDeclaration(s) ||
  ts.isTypeAliasDeclaration(s) ||
  (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.ExportKeyword));

/** A block as a CommonJS file: top-level await moved into an async function. */
export function asCommonJs(code: string): string {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  if (!source.statements.some(hasTopLevelAwait)) return code;
  const top = source.statements.filter(stays).map((s) => s.getFullText(source));
  const body = source.statements.filter((s) => !stays(s)).map((s) => s.getFullText(source));
  return `${top.join('')}\nvoid (async () => {${body.join('')}\n})();\nexport {};\n`;
}

