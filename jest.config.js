// Root Jest config: one project per test size (see docs/testing.md).
process.env.TZ = 'UTC';

const tsTransform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
};
const moduleNameMapper = {
  '^@velora/sippy$': '<rootDir>/libs/sippy/src/index.ts',
  '^@velora/sippy/testing$': '<rootDir>/libs/sippy/testing/index.ts',
  '^@velora/sippy/simulator$': '<rootDir>/libs/sippy/simulator/index.ts',
  '^@velora/integrations$': '<rootDir>/libs/integrations/src/index.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  projects: [
    {
      displayName: 'libs',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      transform: tsTransform,
      moduleNameMapper,
    },
    {
      displayName: 'api',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/apps/api'],
      testMatch: ['**/*.spec.ts'],
      transform: tsTransform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test/api'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform: tsTransform,
      moduleNameMapper,
      testTimeout: 60000,
    },
    // Angular web app: jest-preset-angular, zoneless, jsdom (see apps/web/jest.config.js).
    '<rootDir>/apps/web/jest.config.js',
  ],
};
