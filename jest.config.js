// Nest 12 ships ES modules only, so Jest runs in its native ESM mode (npm test sets
// --experimental-vm-modules); our TypeScript is compiled per file by ts-jest.
const aliases = {
  '^@archive/domain$': '<rootDir>/libs/domain/src/index.ts',
  '^@archive/event-store$': '<rootDir>/libs/event-store/src/index.ts',
  '^@archive/event-store/testing$': '<rootDir>/libs/event-store/src/testing/index.ts',
  '^@archive/projections$': '<rootDir>/libs/projections/src/index.ts',
  '^@archive/read-store$': '<rootDir>/libs/read-store/src/index.ts',
  '^@archive/sqlite$': '<rootDir>/libs/sqlite/src/index.ts',
  '^@archive/sqlite/testing$': '<rootDir>/libs/sqlite/src/testing/index.ts',
  '^@archive/application$': '<rootDir>/libs/application/src/index.ts',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { ...aliases, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/esm-bridge.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
};
