// CanvasKit (Skia, C++ through Emscripten and embind): draw circles, lines and a rectangle on a
// CPU surface, read the pixels back and encode a PNG.
//
//   node canvaskit.mjs PACKAGE_DIR      prints the results as JSON
//
// The package's own loader (bin/canvaskit.js) fetches bin/canvaskit.wasm through locateFile.

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { digest, isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

/** Draws, reads back and encodes through `CK` (what CanvasKitInit resolved to). */
export async function draw(CK) {
  const surface = CK.MakeSurface(300, 200);
  const canvas = surface.getCanvas();
  const paint = new CK.Paint();
  paint.setColor(CK.Color(200, 30, 60, 1));
  paint.setAntiAlias(true);
  canvas.clear(CK.WHITE);
  for (let i = 0; i < 50; i++) {
    canvas.drawCircle(20 + i * 5, 100 + (i % 7) * 10, 5 + (i % 13), paint);
    canvas.drawLine(i * 6, 0, 300 - i * 6, 200, paint);
  }
  canvas.drawRect(CK.LTRBRect(30, 30, 120, 90), paint);
  const image = surface.makeImageSnapshot();
  const pixels = image.readPixels(0, 0, {
    width: 300, height: 200, colorType: CK.ColorType.RGBA_8888,
    alphaType: CK.AlphaType.Unpremul, colorSpace: CK.ColorSpace.SRGB,
  });
  const png = image.encodeToBytes();
  const results = { pixels: await digest(pixels), png: await digest(png) };
  image.delete();
  paint.delete();
  surface.delete();
  return results;
}

if (isMain(import.meta.url)) {
  const packageDir = resolve(process.argv[2]);
  const CanvasKitInit = require(join(packageDir, 'bin', 'canvaskit.js'));
  printResults(await draw(await CanvasKitInit({ locateFile: (file) => join(packageDir, 'bin', file) })));
}
