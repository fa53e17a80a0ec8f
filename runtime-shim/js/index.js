// `viewsan`: what src/index.js says, loaded as the build bundled it into dist/ (see register.js).
export * from './dist/index.js';
