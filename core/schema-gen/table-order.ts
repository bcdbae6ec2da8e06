/** Generation order of tables: every parent before its children, and cycles found by name. */

/** Result of {@link orderTables}: an order, or the tables of one cycle (first table repeated at the end). */
export type TableOrder = { order: string[]; cycle: null } | { order: null; cycle: string[] };

/**
 * Topological order of `tables` where `parentsOf(t)` must come before `t`; ties keep declaration
 * order, so the order is stable and predictable. Unknown parents are ignored (reported elsewhere).
 */
export function orderTables(
  tables: readonly string[],
  parentsOf: (table: string) => readonly string[],
): TableOrder {
  const known = new Set(tables);
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  let cycle: string[] | null = null;
  const visit = (t: string): void => {
    if (cycle) return;
    const s = state.get(t);
    if (s === 'done') return;
    if (s === 'visiting') {
      cycle = [...stack.slice(stack.indexOf(t)), t];
      return;
    }
    state.set(t, 'visiting');
    stack.push(t);
    for (const p of parentsOf(t)) if (known.has(p)) visit(p);
    stack.pop();
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of tables) visit(t);
  return cycle ? { order: null, cycle } : { order, cycle: null };
}
