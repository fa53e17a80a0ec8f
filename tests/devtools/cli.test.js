// The command line without a browser: --help, --version, usage errors, and an unreachable Chrome
// or Chromium. Every failure is exit status 2: a usage error prints its line and a pointer to
// --help on stderr, as viewsan-instrument does; a browser failure prints exactly one line.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { HELP, parseCommandLine } from '../../devtools/lib/cli.js';
import { refusingPort, runCli } from './support/cli.js';

async function assertFailure(args, expected) {
  const { status, stdout, stderr } = await runCli(args);
  assert.equal(status, 2, stderr);
  assert.equal(stdout, '');
  assert.match(stderr, /^viewsan-devtools: [^\n]+\n$/, 'one line on stderr');
  assert.match(stderr, expected);
}

async function assertUsageError(args, expected) {
  const { status, stdout, stderr } = await runCli(args);
  assert.equal(status, 2, stderr);
  assert.equal(stdout, '');
  assert.match(stderr, /^viewsan-devtools: [^\n]+\nTry '--help' for more information\.\n$/,
    "the message, then Try '--help' for more information.");
  assert.match(stderr.split('\n')[0], expected);
}

describe('viewsan-devtools --help', () => {
  test('prints the usage on stdout and exits 0', async () => {
    const { status, stdout, stderr } = await runCli(['--help']);
    assert.equal(status, 0);
    assert.equal(stderr, '');
    assert.equal(stdout, HELP);
    assert.match(stdout, /^Usage: viewsan-devtools launch <url> \[options\]$/m);
    for (const option of ['--report FILE', '--timeout S', '--idle MS', '--serve [PORT]', '--chromium PATH', '--host HOST', '--port PORT']) {
      assert.ok(stdout.includes(option), option);
    }
  });

  test('-h after a command means help too', async () => {
    assert.equal((await runCli(['launch', '-h'])).status, 0);
  });
});

describe('viewsan-devtools --version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../devtools/package.json', import.meta.url), 'utf8'));

  test('prints the name and version on stdout and exits 0', async () => {
    const { status, stdout, stderr } = await runCli(['--version']);
    assert.equal(status, 0);
    assert.equal(stderr, '');
    assert.equal(stdout, `viewsan-devtools ${version}\n`);
  });

  test('after a command too, and listed in --help', async () => {
    assert.equal((await runCli(['attach', '--version'])).stdout, `viewsan-devtools ${version}\n`);
    assert.match(HELP, /^ {2}--version +print the version$/m);
  });
});

describe('usage errors', () => {
  test('no command', () => assertUsageError([], /missing command: launch, attach or extension/));
  test('unknown command', () => assertUsageError(['inspect'], /unknown command 'inspect'/));
  test('launch without a URL', () => assertUsageError(['launch'], /launch needs a <url>/));
  test('launch with something that is not a URL', () => assertUsageError(['launch', 'app.html'], /'app\.html' is not an absolute URL/));
  test('a report in a folder that does not exist, before the run', () =>
    assertUsageError(['launch', 'http://127.0.0.1:9/app.html', '--report', '/nonexistent-viewsan/out.json'],
      /option '--report' \/nonexistent-viewsan\/out\.json: the folder \/nonexistent-viewsan does not exist/));
  test('unknown option', () => assertUsageError(['launch', 'http://127.0.0.1/', '--verbose'], /unknown option '--verbose'/));
  test('option of the other command', () => assertUsageError(['attach', '--chromium', '/usr/bin/chromium'], /'--chromium' does not apply to attach/));
  test('missing option value', () => assertUsageError(['launch', 'http://127.0.0.1/', '--report'], /'--report' needs a value FILE/));
  test('bad number', () => assertUsageError(['launch', 'http://127.0.0.1/', '--timeout', 'soon'], /--timeout needs a positive number, not 'soon'/));
  test('bad port', () => assertUsageError(['attach', '--port=70000'], /--port needs a port number, not '70000'/));
  test('extra argument', () => assertUsageError(['attach', 'http://127.0.0.1/'], /unexpected argument 'http:\/\/127\.0\.0\.1\/'/));
});

describe('parseCommandLine', () => {
  test('reads values in both spellings and converts them', () => {
    assert.deepEqual(parseCommandLine(['launch', '--timeout=2.5', 'http://a.test/', '--idle', '0', '--report', 'r.json']), {
      command: 'launch', url: 'http://a.test/', options: { timeout: 2.5, idle: 0, report: 'r.json' },
    });
  });

  test('--serve takes a port only when one follows', () => {
    assert.deepEqual(parseCommandLine(['launch', '--serve', 'http://a.test/']).options, { serve: null });
    assert.deepEqual(parseCommandLine(['attach', '--serve', '9230']).options, { serve: 9230 });
  });
});

describe('browser failures', () => {
  test('attach to a port where no Chrome listens', async () => {
    const port = await refusingPort();
    await assertFailure(['attach', '--port', String(port)],
      new RegExp(`cannot reach Chrome at 127\\.0\\.0\\.1:${port}: connection refused \\(start it with --remote-debugging-port=${port}\\)`));
  });

  test('attach to a port where some other server listens', async () => {
    const server = createServer((request, response) => response.writeHead(404).end('<h1>nope</h1>')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await assertFailure(['attach', '--port', String(server.address().port)], /: not a Chrome DevTools endpoint/);
    } finally {
      server.close();
    }
  });

  test('launch with a Chromium that does not exist', () =>
    assertFailure(['launch', 'http://127.0.0.1/', '--chromium', '/nonexistent/chromium'],
      /cannot start Chromium '\/nonexistent\/chromium': not found \(use --chromium PATH\)/));
});
