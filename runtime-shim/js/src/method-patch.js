// Replaces a method in place with what `makeReplacement(original)` returns, keeping the property's
// attributes and the engine's name and length, so that a patched platform method still looks like
// the engine's own. Owners without such a method are left alone.

export function replaceMethod(owner, name, makeReplacement) {
  if (!owner || typeof owner[name] !== 'function') return;
  const original = owner[name];
  const replacement = makeReplacement(original);
  Object.defineProperty(replacement, 'name', { value: original.name });
  Object.defineProperty(replacement, 'length', { value: original.length });
  Object.defineProperty(owner, name, { ...Object.getOwnPropertyDescriptor(owner, name), value: replacement });
}
