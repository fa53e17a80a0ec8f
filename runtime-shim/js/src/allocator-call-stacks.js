// The JS stacks of the allocator calls JavaScript made through the module's exports (where it
// allocated, where it freed), kept per session for reports to show, oldest forgotten first. Each
// one holds V8's captured frames until the GC takes it; a report about an allocation older than
// the last few thousand calls from JavaScript still names its site ("js"), without the stack.

const KEPT = 4096;

export class AllocatorCallStacks {
  #stacks = new Map();  // 'alloc:<id>' / 'free:<id>' -> an Error, formatted only for a report

  remember(role, allocId, stack) {
    this.#stacks.set(`${role}:${allocId}`, stack);
    if (this.#stacks.size > KEPT) this.#stacks.delete(this.#stacks.keys().next().value);
  }

  /** The stack of the `role` call ('alloc' or 'free') for allocation `allocId`, if kept. */
  of(role, allocId) {
    return this.#stacks.get(`${role}:${allocId}`);
  }
}
