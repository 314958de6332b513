import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from '../src/index.js';
import type { SigningVector } from '../src/conformance/runner.js';
import { signConformanceRequest } from '../src/conformance/protocol.js';
import { oauthlibStatus, PYTHON } from './helpers/python.js';

interface VectorFile {
  kind: string;
  flags?: Record<string, string>;
  vectors: SigningVector[];
}

const dir = new URL('../vectors/', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema.json', dir), 'utf8'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .sort()
  .map((name) => ({ name, data: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as VectorFile }));

function sortedParams(header: string) {
  const parsed = parseAuthorizationHeader(header);
  expect(parsed).not.toBeNull();
  return { realm: parsed!.realm, params: [...parsed!.params].map(([n, v]) => `${n}=${v}`).sort() };
}

describe('vectors corpus', () => {
  it('has vector files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  it.each(files.map((f) => [f.name, f.data] as const))('%s matches vectors/schema.json', (_name, data) => {
    const ok = validate(data);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  // Generated files come from the committed generator: it re-derives every
  // hand-written base string, signs independently and re-checks with oauthlib.
  const oauthlib = oauthlibStatus();
  it.skipIf(!oauthlib.ok && !process.env['CI'])(`signing files are what vectors/generate/generate.py writes (${oauthlib.reason})`, () => {
    const run = spawnSync(PYTHON, [fileURLToPath(new URL('generate/generate.py', dir)), '--check'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('ids are unique across files and flags are defined in their file', () => {
    const seen = new Set<string>();
    for (const { name, data } of files) {
      for (const v of data.vectors) {
        expect(seen.has(v.id), `${v.id} repeated`).toBe(false);
        seen.add(v.id);
        for (const flag of v.flags ?? []) expect(Object.keys(data.flags ?? {}), `${name}: ${v.id} uses undefined flag ${flag}`).toContain(flag);
      }
    }
  });
});

for (const { name, data } of files.filter((f) => f.data.kind === 'sign')) {
  describe(`signing vectors: ${name}`, () => {
    it.each(data.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
      const out = signConformanceRequest(v.input);
      expect(out.unsupported, 'every built-in method is supported').toBeUndefined();
      if (v.result === 'invalid') {
        expect(out.error, 'an invalid input must be refused').toBeTypeOf('string');
        expect(out.signature).toBeNull();
        return;
      }
      if (v.result === 'acceptable' && out.error !== undefined) return;
      expect(out.error).toBeUndefined();
      expect(out.base_string).toBe(v.expected.base_string);
      expect(out.signature).toBe(v.expected.signature);
      if (v.expected.authorization !== undefined) {
        expect(sortedParams(out.authorization!)).toEqual(sortedParams(v.expected.authorization));
      }
    });
  });
}
