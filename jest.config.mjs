/**
 * One jest run over every workspace. TypeScript runs through ts-jest as native ESM (type checking is
 * `tsc -b`'s job, so ts-jest only transpiles). Workspace packages resolve to their sources so unit
 * tests need no build; end-to-end tests start the built services as real processes.
 */
const workspaceSources = {
  '^@nachos/plugin-sdk$': '<rootDir>/plugins/sdk/src/index.ts',
  '^@nachos/plugin-sdk/testing$': '<rootDir>/plugins/sdk/src/testing/index.ts',
  '^@nachos/proto$': '<rootDir>/proto/src/index.ts',
  '^@nachos/common$': '<rootDir>/services/common/src/index.ts',
  '^@nachos/common/redis$': '<rootDir>/services/common/src/redis/connect-redis.ts',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...workspaceSources,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // test/.tmp/ holds plugin folders e2e tests lay out (copies of example plugins); never modules or tests.
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/test/.tmp/'],
  testTimeout: 30_000,
  // The suites start real processes and servers; a leaked handle must not keep CI waiting forever.
  forceExit: true,
};
