// Jest transform: TypeScript through swc, and ES-module files from node_modules (NestJS 12 and
// some of its dependencies ship ESM only) to CommonJS. Node itself loads those through
// require(esm); Jest's module system cannot, so they are transformed (and cached) here.
// CommonJS files in node_modules pass through untouched.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
});

const ESM = /^\s*(?:import\s*[\w{*'"]|export\s*[\w{*])/m;

module.exports = {
  ...swc,
  process(src, filename, options) {
    if (filename.includes('/node_modules/') && !ESM.test(src)) return { code: src };
    return swc.process(src, filename, options);
  },
  getCacheKey(src, filename, options) {
    return `esm-v1:${swc.getCacheKey(src, filename, options)}`;
  },
};
