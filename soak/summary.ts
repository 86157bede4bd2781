import { FAULT_KINDS, FaultKind } from './fault-plan';
import { InvariantName, INVARIANTS, InvariantResult } from './invariants';
import { PipelinePlan } from './pipeline-plan';
import { PipelineOutcome } from './soak-pipeline';

/** What the soak adds up over its pipelines. */
export class SoakTally {
  public pipelines = 0;
  public executions = 0;
  public readonly shapes = new Map<string, number>();
  public readonly kinds = new Map<string, number>();
  public steps = 0;
  public maxSteps = 0;
  public readonly outcomes = new Map<string, number>();
  public readonly planned = new Map<FaultKind, number>();
  public readonly struck = new Map<FaultKind, number>();
  public readonly checked = new Map<InvariantName, number>();
  public readonly held = new Map<InvariantName, number>();
  public invocations = 0;
  public glueStarts = 0;
  public mails = 0;
  public mailsAtRisk = 0;
  public lateEvents = 0;
  public simulatedSeconds = 0;
  /** Pipelines with a broken invariant. */
  public readonly broken: number[] = [];

  public add(plan: PipelinePlan, outcome: PipelineOutcome) {
    this.pipelines++;
    this.executions += outcome.executions.length;
    bump(this.shapes, plan.shape);
    plan.steps.forEach((s) => bump(this.kinds, s.kind));
    this.steps += plan.steps.length;
    this.maxSteps = Math.max(this.maxSteps, plan.steps.length);
    outcome.executions.forEach((e) => bump(this.outcomes, e.status === 'FAILED' ? `FAILED ${e.error}` : e.status));
    for (const kind of FAULT_KINDS) {
      bump(this.planned, kind, outcome.planned[kind] ?? 0);
      bump(this.struck, kind, outcome.struck[kind] ?? 0);
    }
    for (const r of outcome.results) {
      bump(this.checked, r.invariant);
      bump(this.held, r.invariant, r.held ? 1 : 0);
    }
    if (outcome.results.some((r) => !r.held)) {
      this.broken.push(plan.index);
    }
    this.invocations += outcome.invocations;
    this.glueStarts += outcome.glueStarts;
    this.mails += outcome.mails;
    this.mailsAtRisk += outcome.mailsAtRisk;
    this.lateEvents += outcome.lateEvents;
    this.simulatedSeconds += outcome.simulatedSeconds;
  }

  /** The closing summary, as lines. */
  public lines(wallMs: number): string[] {
    const list = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    const statuses = new Map<string, number>();
    this.outcomes.forEach((n, k) => bump(statuses, k.split(' ')[0], n));
    const failures = new Map([...this.outcomes].filter(([k]) => k.startsWith('FAILED ')).map(([k, n]) => [k.slice(7), n] as const));
    const lines = [
      `executions   ${this.executions} in ${this.pipelines} pipelines (${list(this.shapes)}; ${this.steps} steps, 1 to ${this.maxSteps} a pipeline: ${list(this.kinds)})`,
      `outcomes     ${list(statuses)}${failures.size > 0 ? `; failed with ${list(failures)}` : ''}`,
      `activity     ${this.invocations} runner invocations, ${this.glueStarts} Glue runs, crawls and firings, ${this.mails} failure mails`
        + ` (${this.mailsAtRisk} failed attempts had their mail path cut by a fault), ${this.lateEvents} late events`,
      'faults       kind: planned / struck (a planned fault misses when its call or event never comes)',
      ...FAULT_KINDS.map((k) => `               ${k.padEnd(20)} ${String(this.planned.get(k) ?? 0).padStart(6)} / ${this.struck.get(k) ?? 0}`),
      'invariants   checked / held',
      ...(Object.keys(INVARIANTS) as InvariantName[]).map((k) =>
        `               ${k.padEnd(22)} ${String(this.checked.get(k) ?? 0).padStart(6)} / ${String(this.held.get(k) ?? 0).padEnd(6)} ${INVARIANTS[k]}`),
      `time         ${formatDuration(wallMs)} wall, ${formatDuration(this.simulatedSeconds * 1000)} simulated`,
    ];
    return lines;
  }
}

/** One line per broken invariant. */
export function brokenLines(seed: number, plan: PipelinePlan, results: InvariantResult[]): string[] {
  return results.filter((r) => !r.held).map((r) =>
    `BROKEN seed=${seed} pipeline ${plan.index}${r.execution === undefined ? '' : ` execution ${r.execution}`}: ${r.invariant}: ${r.detail}`);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

function bump<K>(map: Map<K, number>, key: K, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by);
}
