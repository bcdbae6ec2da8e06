/**
 * Orders objects so that every parent is loaded before the children whose lookups name it by external id
 * (Account before Contact): a child row refers to a parent record that must already exist when its job runs.
 */
import { ConfigError } from '../../core/errors.js';
import type { ObjectSpec } from './port.js';

/**
 * The objects in load order: parents first, otherwise in the order given. A lookup to an object that is not
 * loaded here points at records already in the org; a lookup to the object itself does not order anything.
 * A cycle is a ConfigError naming the objects on it.
 */
export function orderObjectsByLookups<T extends Pick<ObjectSpec, 'object' | 'lookups'>>(
  objects: readonly T[],
): T[] {
  const byName = new Map<string, number>();
  objects.forEach((o, i) => {
    if (byName.has(o.object))
      throw new ConfigError(`object ${o.object} is listed twice`, `objects[${i}].object`);
    byName.set(o.object, i);
  });
  const parents = objects.map((o) => {
    const set = new Set<number>();
    for (const l of o.lookups) {
      const p = byName.get(l.object);
      if (p !== undefined && l.object !== o.object) set.add(p);
    }
    return set;
  });
  const done = new Set<number>();
  const out: T[] = [];
  while (out.length < objects.length) {
    // Always take the first ready object, so unrelated objects keep the configured order.
    const next = objects.findIndex(
      (_, i) => !done.has(i) && [...(parents[i] ?? [])].every((p) => done.has(p)),
    );
    if (next < 0) {
      const stuck = objects.filter((_, i) => !done.has(i)).map((o) => o.object);
      throw new ConfigError(
        `lookups form a cycle among ${stuck.join(', ')}: no load order exists`,
        'objects',
      );
    }
    done.add(next);
    out.push(objects[next] as T);
  }
  return out;
}
