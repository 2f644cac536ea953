/** Lists the names an expression refers to, for validators that report unknown names with their position. */
import type { ExprNode } from './ast';

/** Every identifier in `node`, mapped to the position of its first occurrence, in order of appearance. */
export function identifiersOf(node: ExprNode): Map<string, number> {
  const found = new Map<string, number>();
  const visit = (n: ExprNode): void => {
    switch (n.type) {
      case 'number':
        return;
      case 'identifier': {
        const seen = found.get(n.name);
        if (seen === undefined || n.pos < seen) found.set(n.name, n.pos);
        return;
      }
      case 'unary':
        return visit(n.arg);
      case 'binary':
        visit(n.left);
        return visit(n.right);
      case 'call':
        return n.args.forEach(visit);
      case 'conditional':
        visit(n.test);
        visit(n.then);
        return visit(n.otherwise);
    }
  };
  visit(node);
  return found;
}
