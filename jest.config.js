// Two projects: fast pure unit tests beside the code, and integration/e2e tests in test/
// that run against the real PostgreSQL, Redis and Chromium (one database per Jest worker).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
// NestJS 12 ships ES modules only. Node runs them through require(esm); Jest's own module
// system cannot, so those packages are transformed to CommonJS by swc (cached after the first run).
const esmPackages = ['@nestjs', '@fastify', 'fastify', 'mercurius', 'graphql-query-complexity'];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  maxWorkers: 2,
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
      testTimeout: 60000,
    },
  ],
};
