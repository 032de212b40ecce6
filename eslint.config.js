// Lint: ESLint's recommended rules, typescript-eslint's strict set, and the
// typed rules that catch what bites a streaming service: promises nobody
// awaits or handles, and promises passed where a callback is expected.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/', 'scripts/', '.cache/', 'data/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // non-null assertions on array indexes are the hot paths' idiom (noUncheckedIndexedAccess is off)
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // The status page's script: plain JavaScript run by the browser (no type information).
  {
    files: ['assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      sourceType: 'script',
      globals: { document: 'readonly', fetch: 'readonly', setTimeout: 'readonly', Intl: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, eqeqeq: ['error', 'always'] },
  },
);
