export const MARK: string;
export function writtenStubs(): string[];
export function stubs(): Record<string, { '//': string; main: string; module: string; types: string }>;
