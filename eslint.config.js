import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const drivers = ['better-sqlite3', 'pg', 'pg-*', '@kurrent/*', '@grpc/*'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: drivers, message: 'Database drivers stay inside their adapter folder (sqlite/, postgres/, kurrentdb/).' }] },
      ],
    },
  },
  {
    // Nest resolves constructor parameters from emitted type metadata: those imports must stay values.
    files: ['apps/**/*.ts', 'libs/application/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['libs/sqlite/**/*.ts', 'libs/*/src/sqlite/**/*.ts', 'libs/*/src/postgres/**/*.ts', 'libs/*/src/kurrentdb/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The domain is plain TypeScript: no framework, validation library, stream library, driver or other lib.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'class-validator', 'class-transformer', 'rxjs', 'rxjs/*', 'reflect-metadata', 'fastify', ...drivers, '@archive/*', 'node:*'],
              message: 'libs/domain is pure: no NestJS, validation, rxjs, drivers, Node APIs or other libs.',
            },
          ],
        },
      ],
    },
  },
);
