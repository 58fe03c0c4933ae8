import type { ComponentRegistry } from "./registry.js";

interface Changeable {
  readonly key: string;
  enabled: boolean;
}

export interface BaseHandle<U> {
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  update(changes: U): void;
  remove(): void;
}

/**
 * The part every component handle shares: it looks its component up by key
 * on each call, so it keeps working across updates and fails clearly once the
 * component is removed.
 */
export function componentHandle<T extends Changeable, U>(
  registry: ComponentRegistry<T>,
  key: string,
  kind: string,
  rebuild: (existing: T, changes: U) => T,
  track: (item: T) => void,
): BaseHandle<U> {
  const current = (): T => {
    const item = registry.peek(key);
    if (!item) throw new Error(`${kind} "${key}" has been removed`);
    return item;
  };
  const setEnabled = (enabled: boolean) => {
    const item = current();
    if (item.enabled === enabled) return;
    item.enabled = enabled;
    registry.changed();
  };
  return {
    get enabled() {
      return registry.has(key) && current().enabled;
    },
    enable: () => setEnabled(true),
    disable: () => setEnabled(false),
    update: (changes: U) => {
      const next = rebuild(current(), changes);
      registry.replace(next);
      track(next);
    },
    remove: () => {
      registry.remove(key);
    },
  };
}
