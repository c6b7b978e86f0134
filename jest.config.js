// Two projects: fast pure unit tests beside the code, and integration/e2e tests in test/
// that run against the real PostgreSQL, Redis and Chromium (one database per Jest worker).
const common = {
  transform: { '^.+\\.(t|j|mj|cj)s$': '<rootDir>/test/support/transformer.js' },
  // Nothing is ignored: the transformer passes CommonJS files in node_modules through as they
  // are and converts only ES modules (see test/support/transformer.js).
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  maxWorkers: 2,
  // Global on purpose: Jest ignores testTimeout inside a project. Integration tests boot the app
  // and drive Chromium; this bounds a hung test, it is not a performance assertion.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/src', '<rootDir>/scrapers'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/worker-env.ts'],
    },
  ],
};
