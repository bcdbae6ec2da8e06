// Lint rules, including the one-way import direction of design.md:
// workflows → @temporalio/workflow + workflows/ (+ `import type` from activities);
// activities → core, integrations, @temporalio/activity; integrations → vendor libs + core, never @temporalio;
// core → nothing of ours but core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/replay/histories/**', '.understudy/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must stay deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['**/integrations/**', '**/workers/**', '**/cli/**'],
              message: 'Workflows may not import integrations, workers or cli.',
            },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows may only `import type` from activities.',
            },
            {
              group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'],
              message: 'Workflows import only @temporalio/workflow.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: restrict([
      { group: ['**/workers/**', '**/cli/**'], message: 'Activities may not import workers or cli.' },
      {
        group: ['@temporalio/worker', '@temporalio/client'],
        message: 'Activities use @temporalio/activity only.',
      },
    ]),
  },
  {
    files: ['integrations/**/*.ts'],
    rules: restrict([
      { group: ['@temporalio/*'], message: 'Integrations never depend on Temporal.' },
      {
        group: ['**/workflows/**', '**/activities/**', '**/workers/**', '**/cli/**'],
        message: 'Integrations depend on core and vendor libraries only.',
      },
    ]),
  },
  {
    files: ['core/**/*.ts'],
    rules: restrict([
      { group: ['@temporalio/*'], message: 'Core is pure: no Temporal.' },
      {
        group: ['**/workflows/**', '**/activities/**', '**/workers/**', '**/cli/**', '**/integrations/**'],
        message: 'Core imports only core.',
      },
    ]),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  prettier,
);
