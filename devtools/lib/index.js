// viewsan-devtools as a library: the CLI's commands as functions, for tests and scripts.

export { attach } from './attach.js';
export { startChromium } from './chromium.js';
export { BrowserError } from './errors.js';
export { writeExtension } from './extension.js';
export { launch } from './launch.js';
export { writeReportFile } from './report-file.js';
export { startPanelServer } from './server.js';
export { ViewsanModel } from '../panel/model.js';
