/** Lists the names an expression refers to, for validators that report unknown names with their position. */
import type { ExprNode } from './ast.js';
import { forEachNode } from './walk.js';

/** Every identifier in `node`, mapped to the position of its first occurrence, in order of appearance. */
export function identifiersOf(node: ExprNode): Map<string, number> {
  const found = new Map<string, number>();
  forEachNode(node, (n) => {
    if (n.type !== 'identifier') return;
    const seen = found.get(n.name);
    if (seen === undefined || n.pos < seen) found.set(n.name, n.pos);
  });
  return found;
}
