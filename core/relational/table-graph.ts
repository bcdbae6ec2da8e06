/** The child → parent graph of tables: cycle detection with the tables of the cycle named in order. */

/**
 * One cycle of the graph as a closed walk `[a, b, …, a]` (each table references the next), or
 * undefined when the graph is acyclic. Tables are visited in name order, so the reported cycle is
 * stable across runs.
 */
export function findCycle(
  tables: readonly string[],
  parentsOf: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (table: string): string[] | undefined => {
    state.set(table, 'open');
    path.push(table);
    for (const parent of [...(parentsOf.get(table) ?? [])].sort()) {
      const s = state.get(parent);
      if (s === 'open') return [...path.slice(path.indexOf(parent)), parent];
      if (s === undefined) {
        const found = visit(parent);
        if (found !== undefined) return found;
      }
    }
    path.pop();
    state.set(table, 'done');
    return undefined;
  };
  for (const table of [...tables].sort()) {
    if (state.has(table)) continue;
    const found = visit(table);
    if (found !== undefined) return found;
  }
  return undefined;
}
