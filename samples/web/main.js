// A sample in a page: ?sample=audio|tensors, ?flow=correct|buggy|proof, ?build=<URL of the
// built samples folder>, ?raw=1 to run the original module without viewsan.
const params = new URLSearchParams(location.search);
const sample = params.get('sample') ?? 'tensors';
const flowName = params.get('flow') ?? 'buggy';
const build = params.get('build') ?? '../../build/samples';
const raw = params.has('raw');
const status = document.getElementById('status');
document.getElementById('heading').textContent =
  `${sample}: ${flowName} flow${raw ? ' (no viewsan)' : ' under viewsan'}`;

async function main() {
  const flows = await import(`../${sample}/flows.js`);
  const { load, pageDemo } = await import(`../${sample}/browser.js`);
  const { app } = await load(build, { raw });
  const lines = [pageDemo(app)];
  if (flowName === 'proof') {
    const { copyMs, viewMs, aliased } = flows.zeroCopyProof(app);
    lines.push(`copy path ${copyMs.toFixed(3)} ms vs view path ${viewMs.toFixed(3)} ms; aliased: ${aliased}`);
  } else {
    const { value, expected } = (flowName === 'correct' ? flows.correctFlow : flows.buggyFlow)(app);
    lines.push(`got ${value}, expected ${expected}`);
  }
  status.textContent = lines.join('\n');
  document.body.dataset.done = 'ok';
}

main().catch((error) => {
  status.textContent = error.message;
  document.body.dataset.done = error.kind ?? 'error';
  throw error;
});
