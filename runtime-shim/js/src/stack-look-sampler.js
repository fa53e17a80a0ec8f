// How often a stream of like events is looked at on the JavaScript stack. Reading the stack costs
// V8's fixed price of a capture, 3 to 5 µs, then each frame; the events that ask for it (a glue's
// copy out of memory, whose place is reported once; a call of an allocator export, which records
// a stack only when the app made it, not the glue) may come at every call of a binding, and cost
// under a microsecond themselves. So a stream is looked at every time until LOOKS_WITHOUT_NEWS
// looks in a row found nothing new (no new place; the glue's call again), then once in 2, then 4,
// up to once in LOOK_EVERY_AT_MOST, and every time again once a look finds news. News that comes
// only rarely, and late, may be missed: a copy's place unreported (its bytes are counted all the
// same), an app's call of the allocator without its stack.

const LOOKS_WITHOUT_NEWS = 256;
const LOOK_EVERY_AT_MOST = 64;

export class StackLookSampler {
  #lookEvery = 1;
  #sinceLook = 0;
  #withoutNews = 0;

  /** Whether this event is to be looked at. */
  shouldLook() {
    if (++this.#sinceLook < this.#lookEvery) return false;
    this.#sinceLook = 0;
    return true;
  }

  /** After a look: whether it found news. */
  looked(news) {
    if (news) {
      this.#lookEvery = 1;
      this.#withoutNews = 0;
    } else if (++this.#withoutNews >= LOOKS_WITHOUT_NEWS && this.#lookEvery < LOOK_EVERY_AT_MOST) {
      this.#lookEvery *= 2;
      this.#withoutNews = 0;
    }
  }
}
