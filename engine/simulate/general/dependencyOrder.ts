import { SimulationError } from '../../errors/index.js';

/**
 * An order of nodes 0..n-1 in which every node comes after the nodes it
 * reads (depth-first post-order with an explicit stack, so a long chain of
 * rules cannot overflow the call stack). A cycle throws a SimulationError
 * that names the nodes on it, e.g. "x -> y -> x".
 */
export function dependencyOrder(reads: ReadonlyArray<readonly number[]>, name: (i: number) => string, what: string): number[] {
  const ordered: number[] = [];
  const state = new Uint8Array(reads.length); // 0 new, 1 on the stack, 2 done
  for (let root = 0; root < reads.length; root++) {
    if (state[root] !== 0) continue;
    const stack = [{ node: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < reads[top.node].length) {
        const read = reads[top.node][top.next++];
        if (state[read] === 1) {
          const from = stack.findIndex((f) => f.node === read);
          const cycle = [...stack.slice(from).map((f) => name(f.node)), name(read)].join(' -> ');
          throw new SimulationError('CYCLIC_DEFINITIONS', `${what} depend on each other in a cycle: ${cycle}`, { cycle });
        }
        if (state[read] === 0) {
          state[read] = 1;
          stack.push({ node: read, next: 0 });
        }
        continue;
      }
      state[top.node] = 2;
      ordered.push(top.node);
      stack.pop();
    }
  }
  return ordered;
}
