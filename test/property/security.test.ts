/**
 * Short run of the properties for the classes of problem of issue 9 (test/property/security.ts).
 * The cases and the list of properties are in test/property/catalog.ts;
 * `npm run fuzz` runs the same properties with many more cases.
 */
import { shortRun } from './short-run.js';

shortRun('security');
