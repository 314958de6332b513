export const BEGIN: string;
export const END: string;
/** The generated per-provider section of docs/guides/providers.md, from the built profiles. */
export function providerSection(): Promise<string>;
/** The guide's text with its generated section replaced. */
export function regenerate(text: string): Promise<string>;
