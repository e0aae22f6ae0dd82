// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'packages/*/dist/',
      'dist-check/',
      'docs/api/',
      'coverage/',
      'packages/omni-client/src/generated/',
      'src/models/generated/',
      'examples/*/out/',
      'schema/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['scripts/**', 'bench/**', 'test/**', '**/*.test.ts'], rules: { 'no-console': 'off' } },
  {
    // One value import of zod anywhere in the library pulls all of zod (450 KB with its locales) into the CLI bundle's
    // shared chunk, which every validating command compiles at start-up: values come from the models' subset.
    files: ['src/**/*.ts'],
    ignores: ['src/models/zod.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              allowTypeImports: true,
              message: "import zod's values from src/models/zod.ts (the subset the CLI bundle keeps)",
            },
          ],
        },
      ],
    },
  },
);
