/** A step as the graph sees it: its name and the dependencies it sets, if any. */
export interface GraphNode {
  readonly name: string;
  /** Unset: the step listed just before it (none for the first). */
  readonly dependsOn?: readonly string[];
}

/** The steps' dependencies, resolved and checked. */
export interface StepGraph {
  /** Every step, in the order listed. */
  readonly names: readonly string[];
  /** Each step's dependencies, defaults applied. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Each step's dependencies, transitively: the steps that have succeeded when it starts. */
  readonly upstream: ReadonlyMap<string, ReadonlySet<string>>;
  /** The steps some other step depends on. */
  readonly dependedOn: ReadonlySet<string>;
  /**
   * True when every step depends on exactly the step listed before it (the first on none):
   * the steps run one after the other, as a chain of states.
   */
  readonly isSequence: boolean;
}

/**
 * Resolves each step's dependencies (default: the step listed before it) and checks them:
 * each names another step of the pipeline, once, and no steps wait for each other in a cycle.
 * Step names are unique (checked before).
 */
export function resolveStepGraph(nodes: readonly GraphNode[]): StepGraph {
  const names = nodes.map((n) => n.name);
  const known = new Set(names);
  const dependencies = new Map<string, readonly string[]>();
  nodes.forEach((node, i) => {
    const deps = node.dependsOn ?? (i === 0 ? [] : [names[i - 1]]);
    const seen = new Set<string>();
    for (const dep of deps) {
      if (!known.has(dep)) {
        throw new Error(`step "${node.name}" depends on "${dep}", which is not a step of this pipeline; steps: ${names.join(', ')}`);
      }
      if (dep === node.name) {
        throw new Error(`step "${node.name}" depends on itself; remove "${node.name}" from its dependsOn`);
      }
      if (seen.has(dep)) {
        throw new Error(`step "${node.name}" lists "${dep}" more than once in dependsOn; list each step once`);
      }
      seen.add(dep);
    }
    dependencies.set(node.name, deps);
  });
  checkNoCycle(nodes, dependencies);

  const upstream = new Map<string, ReadonlySet<string>>();
  const upstreamOf = (name: string): ReadonlySet<string> => {
    let found = upstream.get(name);
    if (!found) {
      const deps = dependencies.get(name)!;
      found = new Set([...deps, ...deps.flatMap((d) => [...upstreamOf(d)])]);
      upstream.set(name, found);
    }
    return found;
  };
  names.forEach(upstreamOf);

  return {
    names,
    dependencies,
    upstream,
    dependedOn: new Set([...dependencies.values()].flat()),
    isSequence: names.every((name, i) => sameList(dependencies.get(name)!, i === 0 ? [] : [names[i - 1]])),
  };
}

/** Throws naming the whole cycle, `a -> b -> a` ("->" reads "depends on"), if there is one. */
function checkNoCycle(nodes: readonly GraphNode[], dependencies: ReadonlyMap<string, readonly string[]>) {
  const order = nodes.map((n) => n.name);
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string) => {
    const at = path.indexOf(name);
    if (at >= 0) {
      throw new Error(cycleMessage(path.slice(at), order, nodes));
    }
    if (done.has(name)) {
      return;
    }
    path.push(name);
    dependencies.get(name)!.forEach(visit);
    path.pop();
    done.add(name);
  };
  order.forEach(visit);
}

function cycleMessage(cycle: string[], order: readonly string[], nodes: readonly GraphNode[]): string {
  // Start at the step listed first, so the message does not depend on where the search began.
  const first = cycle.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
  const at = cycle.indexOf(first);
  const rotated = [...cycle.slice(at), ...cycle.slice(0, at)];
  const implicit = rotated.filter((name) => nodes.find((n) => n.name === name)!.dependsOn === undefined)
    .map((name) => `; "${name}" depends on "${order[order.indexOf(name) - 1]}" because it is listed right after it and sets no dependsOn`);
  return `steps wait for each other in a cycle: ${[...rotated, first].join(' -> ')} (read "->" as "depends on")${implicit.join('')}; `
    + 'remove one of these dependencies';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
