// Real-browser end-to-end tests: Chromium (playwright-core) against the built API + web app and a
// SippySimulator started by each test file. Run with `npm run e2e` (builds first). See docs/web.md.
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'browser',
  rootDir: root,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // jose (used by the fake OIDC issuer) ships only ES modules
    '^.+\\.[mc]?js$': '<rootDir>/tools/jest/esm-to-cjs.transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  moduleNameMapper: {
    '^@velora/sippy$': '<rootDir>/libs/sippy/src/index.ts',
    '^@velora/sippy/testing$': '<rootDir>/libs/sippy/testing/index.ts',
    '^@velora/sippy/simulator$': '<rootDir>/libs/sippy/simulator/index.ts',
    '^@velora/simulator-kit$': '<rootDir>/libs/simulator-kit/src/index.ts',
  '^@velora/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@velora/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  },
  // Browser start, API start and sync cycles take seconds, not milliseconds.
  testTimeout: 90_000,
  setupFilesAfterEnv: ['<rootDir>/test/browser/support/jest-browser.setup.ts'],
  maxWorkers: 1,
};
