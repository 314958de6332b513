export interface Entry {
  /** Path below dist/ and src/ without extension, e.g. `adapters/node`. */
  name: string;
  /** The source file, e.g. `src/adapters/node.ts`. */
  source: string;
}
export const libraryEntries: Array<Entry & { subpath: string }>;
export const binEntries: Entry[];
export const WEB_CONDITIONS: string[];
/** Web build entry points (WebCrypto): name is `web/<p>`, source the same `src/<p>.ts`. */
export const webEntries: Array<Entry & { subpath: string }>;
