// ESLint flat config (issue #9): typescript-eslint strict-type-checked for every TypeScript file, angular-eslint
// for the web app (TypeScript + templates), eslint-config-prettier last so formatting is Prettier's job alone.
// Run `npm run lint` (part of `npm test`); `npm run lint:fix` applies the safe auto-fixes.
import eslint from '@eslint/js';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Apps must not reach into each other; shared contracts live in libs/contracts (@velora/contracts). */
const restrictImports = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.angular/**', 'data/**', 'tmp/**', 'docs/**'],
  },
  {
    // Plain JavaScript (Jest configs, the Jest transform, the web runtime config): linted without types.
    files: ['**/*.{js,cjs,mjs}'],
    extends: [eslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['apps/web/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers and booleans in template literals are the common, readable case (log lines, messages).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // NestJS modules are decorated empty classes by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `_`-prefixed names are intentionally unused (interface-shaped callbacks, destructuring to omit).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Angular's Validators.required & co. are static methods that never use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // Nest DTO classes are response/request *shapes* (Swagger + class-validator metadata); handlers return plain
      // objects typed as the DTO by design, never instances.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.browser-spec.ts', 'test/**/*.ts', '**/testing/**/*.ts'],
    rules: {
      // expect(mock.method).toHaveBeenCalled() passes methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Tests assert the value exists right before; `!` keeps them short.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['test/api/**/*.ts', 'test/browser/**/*.ts'],
    rules: {
      // supertest / fetch response bodies are `any` by design; each access is checked by the surrounding expect().
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/web/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    languageOptions: {
      // apps/web/tsconfig.lint.json: bundler resolution (like the app) plus jest types for the specs.
      parserOptions: {
        projectService: false,
        project: ['apps/web/tsconfig.lint.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'vl', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'vl', style: 'kebab-case' }],
      ...restrictImports([
        { group: ['**/apps/api/**', '**/api/src/**'], message: 'The web app must not import the API: move shared contracts to libs/contracts (@velora/contracts).' },
        { group: ['@velora/api-contracts', '@velora/api-contracts/*'], message: 'Use @velora/contracts.' },
      ]),
    },
  },
  {
    files: ['apps/web/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: restrictImports([{ group: ['**/apps/web/**', '**/web/src/**'], message: 'The API must not import the web app: shared contracts go to libs/contracts.' }]),
  },
  {
    files: ['libs/**/*.ts'],
    rules: restrictImports([{ group: ['**/apps/**'], message: 'Libraries must not import applications.' }]),
  },
  prettier,
);
