// ESLint: the recommended JavaScript and TypeScript rules everywhere, and React's rules of hooks in the web app.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'test-results/', 'node_modules/', 'bench/.prof/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks what is left out on purpose (a rest sibling, an argument a signature needs).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Text validation refuses control characters on purpose, so its patterns name them.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benchmarks read arbitrary JSON from the API; migrations see the schema of their time, not today's
    // (`Kysely<any>`, as Kysely's documentation does).
    files: ['test/**', 'bench/**', 'src/server/db/migrations/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
