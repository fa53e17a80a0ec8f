// `viewsan/protocol`: the report and event formats (src/protocol.js, which imports nothing: the
// DevTools panel loads that file as it is), as the runtime's bundle holds them (see register.js).
export * from './dist/protocol.js';
