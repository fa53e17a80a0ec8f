// @jsquash/png as a page uses it: decode.js and encode.js from the package, whose loader fetches
// and streams its own .wasm. Decodes a PNG, encodes the pixels, decodes that, and compares with
// the results the test computed in Node with the original package (?expect=): a difference
// throws, and the thrown error reaches the report as a page error.
//   ?pkg=URL of the package  &png=URL of the image  &expect=JSON
const query = new URLSearchParams(location.search);
const pkg = query.get('pkg');
const { default: decode } = await import(`${pkg}/decode.js`);
const { default: encode } = await import(`${pkg}/encode.js`);

async function digest(bytes) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { bytes: bytes.byteLength, sha256: Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('') };
}

const png = new Uint8Array(await (await fetch(query.get('png'))).arrayBuffer());
const decoded = await decode(png);
const encoded = new Uint8Array(await encode(decoded));
const redecoded = await decode(encoded);
const got = {
  width: decoded.width,
  height: decoded.height,
  decoded: await digest(decoded.data),
  encoded: await digest(encoded),
  redecoded: await digest(redecoded.data),
};
const expected = JSON.parse(query.get('expect'));
if (JSON.stringify(got) !== JSON.stringify(expected)) {
  throw new Error(`@jsquash/png gave other results under viewsan: ${JSON.stringify(got)}`);
}
document.title = 'same results';
