// The panel server over plain HTTP: panel files, the report snapshot, and the event stream's
// replay and resume.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { SERVE_PORT } from '../../devtools/lib/defaults.js';
import { startPanelServer, ViewsanModel } from '../../devtools/lib/index.js';
import { useAfterFreeBatch } from './fixtures/events.js';

/** GET with raw headers (fetch cannot set Host); resolves once `until(body)` holds or the response ends. */
function get(url, { headers = {}, until = () => false } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      let body = '';
      const finish = () => resolve({ status: response.statusCode, headers: response.headers, body });
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
        if (until(body)) {
          req.destroy();
          finish();
        }
      });
      response.on('end', finish);
    });
    req.once('error', reject);
    req.end();
  });
}

/** `id: N / event: E / data: D` blocks of an event stream. */
function parseStream(body) {
  return body.trim().split('\n\n').map((block) => Object.fromEntries(block.split('\n').map((line) => {
    const colon = line.indexOf(': ');
    return [line.slice(0, colon), line.slice(colon + 2)];
  })));
}

async function listenOn(port) {
  const probe = createServer().listen(port, '127.0.0.1');
  await once(probe, 'listening');
  probe.close();
}

describe('panel server', () => {
  let model;
  let server;

  before(async () => {
    model = new ViewsanModel();
    model.ingest(useAfterFreeBatch().slice(0, 2), 1);
    server = await startPanelServer({ model });
  });

  after(() => server?.close());

  test('listens on loopback and sends / to the live panel', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const { status, headers } = await get(server.url);
    assert.equal(status, 302);
    assert.equal(headers.location, '/index.html?live=events');
  });

  test('listens at the same port run after run, and at a free one when that is taken', async () => {
    const first = await startPanelServer({ model: new ViewsanModel() });
    const second = await startPanelServer({ model: new ViewsanModel() });
    try {
      const [a, b] = [first, second].map(({ url }) => Number(new URL(url).port));
      // The stable port, unless another program (a panel of a test running beside this one)
      // holds it: then this one fell back, as it should.
      if (a !== SERVE_PORT) await assert.rejects(listenOn(SERVE_PORT), { code: 'EADDRINUSE' }, `${a}: ${SERVE_PORT} was free`);
      assert.notEqual(b, a);
      assert.notEqual(b, SERVE_PORT, 'the stable port is taken: a free one');
      await assert.rejects(startPanelServer({ model: new ViewsanModel(), port: a }), { code: 'EADDRINUSE' },
        'a port given is that port or an error');
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('serves the panel folder and nothing else', async () => {
    const page = await get(new URL('index.html', server.url));
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    const module = await get(new URL('model.js', server.url));
    assert.match(module.headers['content-type'], /^text\/javascript/);
    for (const path of ['/../lib/cli.js', '/%2e%2e/lib/cli.js', '/missing.js', '/index.html/x']) {
      assert.equal((await get(new URL(path, server.url))).status, 404, path);
    }
  });

  test('serves the listed modules of the viewsan package under viewsan/, and no other file of it', async () => {
    const protocol = await get(new URL('viewsan/protocol.js', server.url));
    assert.equal(protocol.status, 200);
    assert.match(protocol.headers['content-type'], /^text\/javascript/);
    assert.equal(protocol.body, await readFile(new URL('../../runtime-shim/js/src/protocol.js', import.meta.url), 'utf8'));
    for (const path of ['/viewsan/index.js', '/viewsan/register.js', '/viewsan/package.json', '/viewsan/viewsan-shim.wasm',
      '/viewsan/bin/viewsan-instrument.js', '/viewsan/', '/viewsan', '/viewsan/%2e%2e/lib/cli.js', '/viewsan//protocol.js']) {
      assert.equal((await get(new URL(path, server.url))).status, 404, path);
    }
  });

  test('refuses requests addressed to another host name', async () => {
    const { status } = await get(server.url, { headers: { Host: 'attacker.example:80' } });
    assert.equal(status, 403);
  });

  test('serves the report collected so far', async () => {
    const { status, body } = await get(new URL('report.json', server.url));
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(body), JSON.parse(JSON.stringify(model)));
  });

  test('replays the run to a new panel, then streams, and resumes after Last-Event-ID', async () => {
    const events = new URL('events', server.url);
    const first = get(events, { until: (body) => body.includes('event: pageError') });
    setTimeout(() => {
      model.ingest(useAfterFreeBatch().slice(2), 1);
      model.addPageError({ type: 'console', message: 'decoder failed' });
    }, 50);
    const messages = parseStream((await first).body);
    assert.deepEqual(messages.map(({ id, event }) => [id, event]), [['1', 'events'], ['2', 'events'], ['3', 'pageError']]);
    assert.deepEqual(JSON.parse(messages[0].data).map((event) => event.type), ['alloc', 'free']);
    assert.deepEqual(JSON.parse(messages[1].data).map((event) => event.type), ['report']);

    server.finish('idle');
    const resumed = await get(events, { headers: { 'Last-Event-ID': '2' }, until: (body) => body.includes('event: end') });
    assert.deepEqual(parseStream(resumed.body).map(({ id, event, data }) => [id, event, data]), [
      ['3', 'pageError', '{"type":"console","message":"decoder failed"}'],
      ['4', 'end', '{"endedBy":"idle"}'],
    ]);
  });

  test('replays a long run in chunks, contexts first', async () => {
    const long = new ViewsanModel();
    long.addContext({ context: 1, target: 'worker', url: 'http://app/worker.js', name: 'decoder' });
    const alloc = (i) => ({ type: 'alloc', seq: i, t: i, session: 1, ptr: 16 * i, size: 16, allocId: i });
    long.ingest(Array.from({ length: 4500 }, (_, i) => alloc(i + 1)), 1);
    const replaying = await startPanelServer({ model: long });
    try {
      replaying.finish('idle');
      const { body } = await get(new URL('events', replaying.url), { until: (text) => text.includes('event: end') });
      const messages = parseStream(body);
      assert.deepEqual(messages.map(({ event, data }) => [event, event === 'events' ? JSON.parse(data).length : JSON.parse(data)]), [
        ['context', { context: 1, target: 'worker', url: 'http://app/worker.js', name: 'decoder' }],
        ['events', 2000], ['events', 2000], ['events', 500],
        ['end', { endedBy: 'idle' }],
      ]);
    } finally {
      await replaying.close();
    }
  });
});
