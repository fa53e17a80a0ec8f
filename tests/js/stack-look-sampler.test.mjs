// How often a stream of like events is looked at on the stack (stack-look-sampler.js): every
// time until 256 looks in a row found nothing new, then once in 2, 4, ... up to once in 64, and
// every time again once a look finds news.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { StackLookSampler } from '../../runtime-shim/js/src/stack-look-sampler.js';

/** How many of the next `events` events `sampler` looks at, each look finding `news(i)`. */
function looks(sampler, events, news = () => false) {
  let count = 0;
  for (let i = 0; i < events; i++) {
    if (!sampler.shouldLook()) continue;
    count++;
    sampler.looked(news(count));
  }
  return count;
}

test('every event is looked at until 256 looks in a row found nothing new', () => {
  const sampler = new StackLookSampler();
  assert.equal(looks(sampler, 256), 256);
  assert.equal(looks(sampler, 512), 256, 'then one in 2');
  assert.equal(looks(sampler, 1024), 256, 'then one in 4');
});

test('the looks thin out to one in 64, and no further', () => {
  const sampler = new StackLookSampler();
  looks(sampler, 256 * (1 + 2 + 4 + 8 + 16 + 32));
  assert.equal(looks(sampler, 64 * 1000), 1000);
  assert.equal(looks(sampler, 64 * 1000), 1000);
});

test('news makes every event looked at again', () => {
  const sampler = new StackLookSampler();
  looks(sampler, 256 * (1 + 2 + 4));
  assert.equal(looks(sampler, 8, (i) => i === 1), 1, 'the next look is 8 events away, and finds news');
  assert.equal(looks(sampler, 100), 100);
});
