// Lint: the layering of src/ (which room may import which), the one crypto
// seam, and a few rules that keep functions short and types honest.
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Rooms of src/, lowest first. A room may import itself and the rooms listed for it. */
const ROOMS = {
  core: [],
  methods: ['core'],
  client: ['core', 'methods'],
  server: ['core', 'methods'],
  stores: ['core', 'methods', 'server'],
  // Contract suites of the store interfaces (oauth1/testing): they drive stores, never implement one.
  testing: ['core', 'server'],
  profiles: ['core', 'methods', 'client', 'server'],
  adapters: ['core', 'server'],
  'http-clients': ['core', 'methods', 'client'],
  // The signature debugger page (built for browsers from the web build's sources).
  debugger: ['core', 'methods', 'client'],
  conformance: ['core', 'methods', 'client'],
  cli: ['core', 'methods', 'client', 'server', 'profiles', 'conformance'],
  entry: ['core', 'methods', 'client', 'server', 'stores', 'profiles', 'adapters', 'conformance'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'docs/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'vectors/generate/**', 'reports/**', '.stryker-tmp/**'] },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/elements': [
        ...Object.keys(ROOMS)
          .filter((room) => room !== 'entry')
          .map((room) => ({ type: room, pattern: `src/${room}/**`, partialMatch: false })),
        // What is left directly in src/: the package's root entry point.
        { type: 'entry', pattern: 'src', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(ROOMS).map(([room, below]) => ({
            from: { element: { type: room } },
            allow: { to: { element: { types: { anyOf: [room, ...below] } } } },
          })),
        },
      ],
      'boundaries/no-unknown-files': 'error',
      // The one crypto seam: only src/methods/crypto/ imports the platform's crypto.
      'no-restricted-imports': ['error', { paths: ['node:crypto', 'crypto'].map((name) => ({ name, message: 'import crypto through src/methods/crypto/' })) }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['src/methods/crypto/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
