// `viewsan/register`: what src/register.js says. The package's entry points load the runtime as
// the build bundled it into dist/: a handful of files where src/ is some fifty modules, which
// Node's ES module loader and a page's fetches would take one by one.
import './dist/register.js';
