/**
 * Short run of the differential properties against python3-oauthlib (test/property/differential.ts), through one long-running oauthlib process. Needs /usr/bin/python3 with python3-oauthlib, python3-cryptography and python3-jwt; skipped with the reason printed when they are missing, except in CI (`CI` set), where it fails.
 * The cases and the list of properties are in test/property/catalog.ts;
 * `npm run fuzz` runs the same properties with many more cases.
 */
import { shortRun } from './short-run.js';

shortRun('differential');
