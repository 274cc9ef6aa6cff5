// Root Jest config: one project per test size (see docs/testing.md).
process.env.TZ = 'UTC';

// NestJS 12 and a few dependencies are ESM-only; Jest on Node 20 cannot require() them, so they are
// rewritten to CommonJS by tools/jest/esm-to-cjs.transform.js (see docs/decisions.md).
const ESM_ONLY_PACKAGES = ['@nestjs', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'load-esm', 'openid-client', 'oauth4webapi', 'jose'];
const tsTransform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  '^.+\\.[mc]?js$': '<rootDir>/tools/jest/esm-to-cjs.transform.js',
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`];
const moduleNameMapper = {
  '^@velora/sippy$': '<rootDir>/libs/sippy/src/index.ts',
  '^@velora/sippy/testing$': '<rootDir>/libs/sippy/testing/index.ts',
  '^@velora/sippy/simulator$': '<rootDir>/libs/sippy/simulator/index.ts',
  '^@velora/integrations$': '<rootDir>/libs/integrations/src/index.ts',
  '^@velora/integrations/simulator$': '<rootDir>/libs/integrations/simulator/index.ts',
  '^@velora/simulator-kit$': '<rootDir>/libs/simulator-kit/src/index.ts',
  '^@velora/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@velora/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
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
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'api',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/apps/api'],
      testMatch: ['**/*.spec.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-slow-suites.setup.ts'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test/api'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-slow-suites.setup.ts'],
    },
    {
      // deployment: the Dockerfile's steps, the Kubernetes manifests and the Grafana dashboard against the app,
      // graceful shutdown of the built API (docs/deploy.md)
      displayName: 'deploy',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test/deploy'],
      testMatch: ['**/*.spec.ts'],
      transform: tsTransform,
      transformIgnorePatterns,
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-slow-suites.setup.ts'],
    },
    // Angular web app: jest-preset-angular, zoneless, jsdom (see apps/web/jest.config.js).
    '<rootDir>/apps/web/jest.config.js',
  ],
};
