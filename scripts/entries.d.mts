export interface Entry {
  /** Path below dist/ and src/ without extension, e.g. `adapters/node`. */
  name: string;
  /** The source file, e.g. `src/adapters/node.ts`. */
  source: string;
}
export const libraryEntries: Array<Entry & { subpath: string }>;
export const binEntries: Entry[];
