// Jest config of the Angular web app (jest-preset-angular, zoneless, jsdom).
// Run alone: npx jest -c apps/web/jest.config.js   (or as the `web` project of the root config)
const { createCjsPreset } = require('jest-preset-angular/presets');

const preset = createCjsPreset({ tsconfig: '<rootDir>/apps/web/tsconfig.spec.json' });

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'web',
  rootDir: '../..',
  roots: ['<rootDir>/apps/web/src'],
  testMatch: ['**/*.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/apps/web/src/testing/setup-jest.ts'],
  // Angular ships .mjs (transformed by the preset); @jsverse/utils ships ESM in a .js file.
  transformIgnorePatterns: ['node_modules/(?!(.*\\.mjs$|@angular/common/locales/.*\\.js$|@jsverse/utils/))'],
  moduleNameMapper: {
    '^@velora/sippy/cdr-model$': '<rootDir>/libs/sippy/src/cdr/cdr.model.ts',
    '^@velora/integrations/output-formats$': '<rootDir>/libs/integrations/src/elevenlabs/output-formats.ts',
    '^@velora/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@velora/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  },
};
