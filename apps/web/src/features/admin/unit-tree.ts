import type { Unit } from '../../api/types';

export interface UnitNode {
  unit: Unit;
  depth: number;
  hasChildren: boolean;
}

/**
 * Flattens the parentId list into depth-first order for an indented table or select.
 * Units whose parent is missing (or that sit in a cycle) are shown at the top level rather
 * than disappearing, so a data problem stays visible.
 */
export function flattenUnitTree(units: readonly Unit[]): UnitNode[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    const parent = u.parentId && byId.has(u.parentId) && u.parentId !== u.id ? u.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(u);
    children.set(parent, list);
  }
  const order = (a: Unit, b: Unit) => a.code.localeCompare(b.code, 'id', { numeric: true });
  for (const list of children.values()) list.sort(order);

  const out: UnitNode[] = [];
  const seen = new Set<string>();
  const walk = (u: Unit, depth: number) => {
    if (seen.has(u.id)) return;
    seen.add(u.id);
    const kids = children.get(u.id) ?? [];
    out.push({ unit: u, depth, hasChildren: kids.length > 0 });
    for (const k of kids) walk(k, depth + 1);
  };
  for (const root of children.get(null) ?? []) walk(root, 0);
  // Whatever a cycle kept unreachable from the roots.
  for (const u of [...units].sort(order)) if (!seen.has(u.id)) walk(u, 0);
  return out;
}

/** Ids of a unit and all its descendants: a unit cannot be moved under any of these. */
export function descendantIds(units: readonly Unit[], id: string): Set<string> {
  const result = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId && result.has(u.parentId) && !result.has(u.id)) {
        result.add(u.id);
        grew = true;
      }
    }
  }
  return result;
}

/** Option label for a select: indentation keeps the hierarchy readable in a flat list. */
export function unitOptionLabel(node: UnitNode): string {
  return `${'\u00a0\u00a0'.repeat(node.depth)}${node.depth ? '└ ' : ''}${node.unit.code} — ${node.unit.name}`;
}
