/**
 * Short run of the single-mutation properties (test/property/mutation.ts): a request we signed, changed in one place, is refused unless RFC 5849 does not sign what changed.
 * The cases and the list of properties are in test/property/catalog.ts;
 * `npm run fuzz` runs the same properties with many more cases.
 */
import { shortRun } from './short-run.js';

shortRun('mutation');
