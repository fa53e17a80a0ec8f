// The end of a minified Emscripten glue file, in the form sql.js 1.16 has: each C function the
// build exports is bound to the wasm export its minifier named.
var k=typeof Module!="undefined"?Module:{},c,da,ea;
function Ab(a){c=a.exports;k._app_run=c.La;da=k._malloc=c.Ia;ea=k._free=c.Ja;k._malloc_usable_size=c.Ka;return c}
