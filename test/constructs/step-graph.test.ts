import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GlueJob, GlueOrchestratedPipeline, GlueOrchestratedPipelineProps, PipelineStep, StepErrors } from '../../src';
import { planPipeline } from '../../src/constructs/pipeline-plan';
import { GRAPH_STATE_NAME } from '../../src/constructs/state-machine-definition';
import { GraphNode, resolveStepGraph } from '../../src/constructs/step-graph';
import {
  graphStateTimeouts, longestSpanSeconds, MAX_STATE_TIMEOUT_SECONDS, retryWaitSeconds, TimedStep, waitBudgets, worstCaseSeconds,
} from '../../src/constructs/wait-budget';
import { RunnerEnv } from '../../src/shared/contract';
import { definitionOf, emptyStack } from '../support/pipeline-fixture';

// asl-validator ships CommonJS without typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

// ---------------------------------------------------------------------------------------------
// Expected timings, from the documented formulas (step-timing.ts, wait-budget.ts), not from output:
//  heartbeat = 2 check intervals + the runner's 3-minute timeout
//  task      = own wait (minutes) + 30 minutes start allowance + heartbeat
//  worst     = (1 + every retry's attempts) × task + the waits between tries; every state retries
//              a lost token twice, 1 s apart, rate 1 (2 attempts, 2 s of waits)
//  graph state timeout = latest end of its dependencies (their budget + worst) + its own task
//  kept result = latest end of any step + 24 hours
// ---------------------------------------------------------------------------------------------
const heartbeatOf = (intervalMinutes = 5) => 2 * intervalMinutes * 60 + 180;
const taskOf = (minutes: number, intervalMinutes = 5) => minutes * 60 + 30 * 60 + heartbeatOf(intervalMinutes);
const worstOf = (task: number, own: { attempts: number; waits: number } = { attempts: 0, waits: 0 }) =>
  (1 + 2 + own.attempts) * task + 2 + own.waits;
const DAY = 24 * 3600;
/** Step Functions' redrivable period: a kept result outlives a redrive (two spans, 14 days and a day). */
const REDRIVE = 14 * DAY;

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly ResultPath?: string;
  readonly ResultSelector?: Record<string, string>;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: unknown[];
  readonly Branches?: Array<{ StartAt: string; States: Record<string, State> }>;
}

interface Asl {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

function synth(steps: PipelineStep[], props: Partial<GlueOrchestratedPipelineProps> = {}): Template {
  const stack = emptyStack();
  new GlueOrchestratedPipeline(stack, 'Pipeline', { steps, ...props });
  return Template.fromStack(stack);
}

const aslOf = (template: Template) => definitionOf(template) as unknown as Asl;
/** The re-run Choice and Pass states every definition starts with. */
const FIRST_STATES = ['Rerun from a step?', 'Rerun from which step?', 'Not a step of this pipeline', 'Not a rerun'];

/** The activity state of each step, whether the steps form a chain or a graph. */
function stepStates(asl: Asl): Record<string, State> {
  const graph = asl.States[GRAPH_STATE_NAME];
  return graph ? Object.assign({}, ...graph.Branches!.map((b) => b.States)) : asl.States;
}

function runnerEnv(template: Template): Record<string, unknown> {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  return fn.Properties.Environment.Variables;
}

const job = (stepName: string, dependsOn?: string[], minutes?: number) =>
  PipelineStep.glueJob({ stepName, job: GlueJob.fromName(`${stepName}-job`), dependsOn, timeout: minutes ? Duration.minutes(minutes) : undefined });

/**
 * A diamond of every kind: a -> b, a -> c, b and c -> d. Listed with d second, so the graph does
 * not rely on the order listed.
 */
function diamond(): PipelineStep[] {
  return [
    PipelineStep.glueJob({ stepName: 'a', job: GlueJob.fromName('a-job'), timeout: Duration.minutes(60), dependsOn: [] }),
    PipelineStep.glueWorkflow({ stepName: 'd', workflowName: 'd-flow', timeout: Duration.minutes(90), dependsOn: ['b', 'c'] }),
    PipelineStep.glueCrawler({ stepName: 'b', crawlerName: 'b-crawler', timeout: Duration.minutes(45), dependsOn: ['a'] }),
    PipelineStep.glueTrigger({
      stepName: 'c',
      triggerName: 'c-trigger',
      dependsOn: ['a'],
      retry: { errors: [StepErrors.START_FAILED], maxAttempts: 3, interval: Duration.minutes(10), backoffRate: 1.5 },
    }),
  ];
}

/** The diamond's timings, by hand. */
const T = { a: taskOf(60), b: taskOf(45), c: taskOf(0), d: taskOf(90) };
const W = {
  a: worstOf(T.a),
  b: worstOf(T.b),
  c: worstOf(T.c, { attempts: 3, waits: 600 + 900 + 1350 }),
  d: worstOf(T.d),
};
const BUDGET = { a: 0, b: W.a, c: W.a, d: Math.max(W.a + W.b, W.a + W.c) };

describe('a sequence stays a chain', () => {
  const kinds = (dependsOn: Array<string[] | undefined>) => [
    PipelineStep.glueJob({ stepName: 'extract', job: GlueJob.fromName('extract-job'), dependsOn: dependsOn[0] }),
    PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'crawler', dependsOn: dependsOn[1] }),
    PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'flow', dependsOn: dependsOn[2] }),
  ];

  test('without dependsOn: one state per step in order, no Parallel, no graph fields, no graph size', () => {
    const template = synth(kinds([undefined, undefined, undefined]));
    const asl = aslOf(template);
    expect(asl.States['Not a rerun'].Next).toBe('extract');
    expect(Object.keys(asl.States).sort()).toEqual([...FIRST_STATES, 'extract', 'crawl', 'flow'].sort());
    expect(asl.States.extract.Next).toBe('crawl');
    expect(asl.States.crawl.Next).toBe('flow');
    expect(asl.States.flow.End).toBe(true);
    for (const [name, state] of Object.entries(asl.States).filter(([n]) => !FIRST_STATES.includes(n))) {
      expect(state.Type).toBe('Task');
      expect(state.ResultPath).toBe(`$.results.${name}`);
      expect(state.Parameters).not.toHaveProperty('dependsOn');
      expect(state.Parameters).not.toHaveProperty('keepResultSeconds');
    }
    expect(JSON.stringify(asl)).not.toContain('Parallel');
    expect(runnerEnv(template)).not.toHaveProperty(RunnerEnv.GRAPH_STEPS);
  });

  test.each<[string, Array<string[] | undefined>]>([
    ['every step', [[], ['extract'], ['crawl']]],
    ['the first step only', [[], undefined, undefined]],
    ['a middle step only', [undefined, ['extract'], undefined]],
    ['the last step only', [undefined, undefined, ['crawl']]],
  ])('dependsOn equal to the default on %s gives the very same state machine and runner', (_where, dependsOn) => {
    const plain = synth(kinds([undefined, undefined, undefined]));
    const explicit = synth(kinds(dependsOn));
    expect(aslOf(explicit)).toEqual(aslOf(plain));
    expect(runnerEnv(explicit)).toEqual(runnerEnv(plain));
  });

  test('one step, with or without an empty dependsOn, is a single state', () => {
    for (const dependsOn of [undefined, []]) {
      const asl = aslOf(synth([job('only', dependsOn)]));
      expect(Object.keys(asl.States).sort()).toEqual([...FIRST_STATES, 'only'].sort());
      expect(asl.States.only.End).toBe(true);
      expect(asl.States.only.Parameters!.final).toBe(true);
    }
  });
});

describe('a diamond becomes one Parallel state', () => {
  let template: Template;
  let asl: Asl;
  let graph: State;
  beforeAll(() => {
    template = synth(diamond());
    asl = aslOf(template);
    graph = asl.States[GRAPH_STATE_NAME];
  });

  test('the only state is the Parallel "Step graph", storing the named results under $.results', () => {
    expect(asl.States['Not a rerun'].Next).toBe(GRAPH_STATE_NAME);
    expect(Object.keys(asl.States).sort()).toEqual([...FIRST_STATES, GRAPH_STATE_NAME].sort());
    expect(graph).toMatchObject({ Type: 'Parallel', End: true, ResultPath: '$.results' });
    expect(graph.Retry).toBeUndefined();
  });

  test('one branch per step, in the order listed, each a single activity state with the step\'s name', () => {
    expect(graph.Branches!.map((b) => b.StartAt)).toEqual(['a', 'd', 'b', 'c']);
    for (const branch of graph.Branches!) {
      expect(Object.keys(branch.States)).toEqual([branch.StartAt]);
      const state = branch.States[branch.StartAt];
      expect(state.Type).toBe('Task');
      expect(state.Resource).toMatch(/^arn:aws:states:us-east-1:123456789012:activity:PipelineActivity/);
      expect(state.End).toBe(true);
      expect(state.Next).toBeUndefined();
      // the branch's output is the step's result as is; the ResultSelector names it
      expect(state.ResultPath).toBeUndefined();
    }
  });

  test('the ResultSelector names branch i\'s result after step i', () => {
    expect(graph.ResultSelector).toEqual({ 'a.$': '$[0]', 'd.$': '$[1]', 'b.$': '$[2]', 'c.$': '$[3]' });
  });

  test('each task input carries its dependencies, [] for the root, and no step is final', () => {
    const states = stepStates(asl);
    expect(Object.fromEntries(Object.entries(states).map(([name, s]) => [name, s.Parameters!.dependsOn])))
      .toEqual({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    for (const state of Object.values(states)) {
      expect(state.Parameters).not.toHaveProperty('final');
    }
  });

  test('the steps others wait for keep their result until the latest end of the execution plus a day; the others keep none', () => {
    const states = stepStates(asl);
    const longest = Math.max(BUDGET.a + W.a, BUDGET.b + W.b, BUDGET.c + W.c, BUDGET.d + W.d);
    expect(longest).toBe(BUDGET.d + W.d);
    for (const name of ['a', 'b', 'c']) {
      expect(states[name].Parameters!.keepResultSeconds).toBe(2 * longest + REDRIVE + DAY);
    }
    expect(states.d.Parameters).not.toHaveProperty('keepResultSeconds');
  });

  test('the runner is told how many steps the graph has', () => {
    expect(runnerEnv(template)[RunnerEnv.GRAPH_STEPS]).toBe('4');
  });

  test('heartbeats are the steps\' own; each state retries as in a chain', () => {
    const states = stepStates(asl);
    for (const state of Object.values(states)) {
      expect(state.HeartbeatSeconds).toBe(heartbeatOf());
      expect(state.Retry![0]).toEqual({ ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 });
    }
    expect(states.c.Retry![1]).toEqual({ ErrorEquals: ['Glue.StartFailed'], IntervalSeconds: 600, MaxAttempts: 3, BackoffRate: 1.5 });
  });

  test('each state\'s timeout is its wait for its dependencies plus its own, and the input says the same', () => {
    const states = stepStates(asl);
    const expected = { a: T.a, b: BUDGET.b + T.b, c: BUDGET.c + T.c, d: BUDGET.d + T.d };
    for (const [name, seconds] of Object.entries(expected)) {
      expect([name, states[name].TimeoutSeconds]).toEqual([name, seconds]);
      expect([name, states[name].Parameters!.taskTimeoutSeconds]).toEqual([name, seconds]);
    }
  });

  test('a dependent\'s timeout exceeds its own task and covers each dependency\'s worst case', () => {
    const states = stepStates(asl);
    const timeout = (name: string) => states[name].TimeoutSeconds!;
    expect(timeout('a')).toBe(T.a);
    for (const [name, deps] of [['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]] as const) {
      expect(timeout(name)).toBeGreaterThan(T[name]);
      for (const dep of deps) {
        expect(timeout(name)).toBeGreaterThanOrEqual(BUDGET[dep] + W[dep] + T[name]);
      }
    }
    // d waits for the slower of its branches: c, whose retries outlast b's longer crawl
    expect(W.c).toBeGreaterThan(W.b);
    expect(timeout('d')).toBe(W.a + W.c + T.d);
  });

  test('is valid Amazon States Language', () => {
    const result = aslValidator(definitionOf(template));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });
});

describe('graph timeouts', () => {
  test('waits add up along a path, and follow the check interval', () => {
    // GIVEN a -> b -> c, and x on its own (so the steps form a graph), a 1-minute interval
    const template = synth([job('a', [], 10), job('x', [], 10), job('b', ['a'], 20), job('c', ['b'], 30)], { checkInterval: Duration.minutes(1) });
    const states = stepStates(aslOf(template));
    const t = { a: taskOf(10, 1), b: taskOf(20, 1), c: taskOf(30, 1), x: taskOf(10, 1) };
    expect(states.a.HeartbeatSeconds).toBe(2 * 60 + 180);
    expect(states.a.TimeoutSeconds).toBe(t.a);
    expect(states.x.TimeoutSeconds).toBe(t.x);
    expect(states.b.TimeoutSeconds).toBe(worstOf(t.a) + t.b);
    expect(states.c.TimeoutSeconds).toBe(worstOf(t.a) + worstOf(t.b) + t.c);
    // x is depended on by nobody: it keeps no result
    expect(states.x.Parameters).not.toHaveProperty('keepResultSeconds');
    expect(states.a.Parameters!.keepResultSeconds).toBe(2 * (worstOf(t.a) + worstOf(t.b) + worstOf(t.c)) + REDRIVE + DAY);
  });

  test('a step may depend on a step listed after it', () => {
    const states = stepStates(aslOf(synth([job('late', ['early'], 10), job('early', [], 10)])));
    expect(states.late.TimeoutSeconds).toBe(worstOf(taskOf(10)) + taskOf(10));
    expect(states.early.TimeoutSeconds).toBe(taskOf(10));
  });

  test('a graph whose waits exceed what Step Functions allows is refused, naming the step', () => {
    const year = Duration.days(365);
    expect(() => synth([
      PipelineStep.glueWorkflow({ stepName: 'long1', workflowName: 'w1', timeout: year, dependsOn: [] }),
      PipelineStep.glueTrigger({ stepName: 'side', triggerName: 't', dependsOn: [] }),
      PipelineStep.glueWorkflow({ stepName: 'long2', workflowName: 'w2', timeout: year, dependsOn: ['long1'] }),
    ])).toThrow(/step "long2" would need a TimeoutSeconds of \d+ \(\d+ s waiting for the steps it depends on, then \d+ s of its own\), more than Step Functions' maximum of 99999999/);
  });

  test('a retry interval that is a token is refused in a graph, whose waits depend on it, but fine in a plain chain', () => {
    const retry = { errors: ['States.ALL'], interval: Duration.seconds(Token.asNumber({ Ref: 'Seconds' })) };
    const step = (stepName: string, dependsOn?: string[]) => PipelineStep.glueJob({ stepName, job: GlueJob.fromName('j'), retry, dependsOn });
    expect(() => synth([step('a', []), step('b', [])])).toThrow(/step "a": retry.interval must be a concrete duration, not a token/);
    expect(() => synth([step('a'), step('b')])).not.toThrow();
  });
});

describe('graph errors at synth', () => {
  test.each<[string, PipelineStep[], RegExp]>([
    ['explicit dependencies', [job('a', ['c']), job('b', ['a']), job('c', ['b'])],
      /^steps wait for each other in a cycle: a -> c -> b -> a \(read "->" as "depends on"\); remove one of these dependencies$/],
    ['two steps', [job('x', []), job('a', ['b']), job('b', ['a'])],
      /^steps wait for each other in a cycle: a -> b -> a \(read "->" as "depends on"\); remove/],
    // the search enters the cycle at b, the message still starts at a, the step listed first
    ['a cycle entered from outside', [job('x', ['b']), job('a', ['c']), job('b', ['a']), job('c', ['b'])],
      /^steps wait for each other in a cycle: a -> c -> b -> a \(/],
  ])('a cycle of %s names the steps of the cycle, and only those', (_what, steps, message) => {
    expect(() => synth(steps)).toThrow(message);
    try {
      synth(steps);
    } catch (err) {
      expect((err as Error).message).not.toContain('"x"');
      expect((err as Error).message).not.toMatch(/\bx ->|-> x\b/);
    }
  });

  test('a cycle through a default dependency says where that dependency comes from', () => {
    expect(() => synth([job('a', ['b']), job('b')])).toThrow(
      'steps wait for each other in a cycle: a -> b -> a (read "->" as "depends on"); '
      + '"b" depends on "a" because it is listed right after it and sets no dependsOn; remove one of these dependencies');
  });

  test('a dependency that is not a step, naming it and listing the steps', () => {
    expect(() => synth([job('a'), job('b', ['a', 'nope'])]))
      .toThrow('step "b" depends on "nope", which is not a step of this pipeline; steps: a, b');
  });

  test('a step that depends on itself', () => {
    expect(() => synth([job('a', ['a']), job('b')])).toThrow('step "a" depends on itself; remove "a" from its dependsOn');
  });

  test('a dependency listed twice', () => {
    expect(() => synth([job('a'), job('b', ['a', 'a'])])).toThrow(/step "b" lists "a" more than once in dependsOn/);
  });

  test('duplicate step names, whatever the dependencies', () => {
    expect(() => synth([job('a', []), job('a', [])])).toThrow(/step name "a" is used more than once/);
  });
});

describe('resolveStepGraph', () => {
  const nodes = (...dependsOn: Array<string[] | undefined>): GraphNode[] =>
    dependsOn.map((d, i) => ({ name: 'abcdef'[i], dependsOn: d }));

  test.each<[string, boolean, GraphNode[]]>([
    ['no dependsOn', true, nodes(undefined, undefined, undefined)],
    ['every default spelled out', true, nodes([], ['a'], ['b'])],
    ['some defaults spelled out', true, nodes(undefined, ['a'], undefined)],
    ['one step', true, nodes(undefined)],
    ['one step, no dependencies', true, nodes([])],
    ['a second root', false, nodes([], [], undefined)],
    ['a skip', false, nodes(undefined, undefined, ['a'])],
    ['the default and another', false, nodes(undefined, undefined, ['b', 'a'])],
    ['the default and another, default first', false, nodes(undefined, undefined, ['a', 'b'])],
    ['a first step depending on a later one', false, nodes(['b'], [], undefined)],
  ])('%s: a sequence: %p', (_what, isSequence, graphNodes) => {
    expect(resolveStepGraph(graphNodes).isSequence).toBe(isSequence);
  });

  test('defaults are applied, upstream is transitive, dependedOn lists the steps waited for', () => {
    const graph = resolveStepGraph(nodes(undefined, undefined, ['a'], ['b', 'c'], []));
    expect(graph.names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Object.fromEntries(graph.dependencies)).toEqual({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] });
    expect(Object.fromEntries([...graph.upstream].map(([k, v]) => [k, [...v].sort()])))
      .toEqual({ a: [], b: ['a'], c: ['a'], d: ['a', 'b', 'c'], e: [] });
    expect([...graph.dependedOn].sort()).toEqual(['a', 'b', 'c']);
  });

  test('in a sequence every earlier step is upstream', () => {
    const graph = resolveStepGraph(nodes(undefined, undefined, undefined, undefined));
    expect([...graph.upstream.get('d')!].sort()).toEqual(['a', 'b', 'c']);
    expect(graph.upstream.get('a')!.size).toBe(0);
  });

  test.each<[string, GraphNode[], string | RegExp]>([
    ['unknown', nodes(undefined, ['zz']), 'step "b" depends on "zz", which is not a step of this pipeline; steps: a, b'],
    ['self', nodes(['a']), 'step "a" depends on itself'],
    ['twice', nodes(undefined, ['a', 'a']), 'step "b" lists "a" more than once in dependsOn'],
    ['cycle', nodes(['c'], undefined, undefined), /cycle: a -> c -> b -> a .*"c" depends on "b" because.*"b" depends on "a" because/],
  ])('%s dependency', (_what, graphNodes, message) => {
    expect(() => resolveStepGraph(graphNodes)).toThrow(message);
  });
});

describe('wait budget', () => {
  test.each([
    // n tries after the first, waits interval × rate^0 .. rate^(n-1)
    [{ maxAttempts: 2, intervalSeconds: 1, backoffRate: 1 }, 1 + 1],
    [{ maxAttempts: 1, intervalSeconds: 10, backoffRate: 3 }, 10],
    [{ maxAttempts: 2, intervalSeconds: 60, backoffRate: 2 }, 60 + 120],
    [{ maxAttempts: 3, intervalSeconds: 7, backoffRate: 2 }, 7 + 14 + 28],
    [{ maxAttempts: 3, intervalSeconds: 600, backoffRate: 1.5 }, 600 + 900 + 1350],
    [{ maxAttempts: 2, intervalSeconds: 1, backoffRate: 1.5 }, Math.ceil(1 + 1.5)],
    [{ maxAttempts: 5, intervalSeconds: 30, backoffRate: 1 }, 5 * 30],
  ])('retryWaitSeconds(%p) = %p', (retry, seconds) => {
    expect(retryWaitSeconds(retry)).toBe(seconds);
  });

  const lostToken = { maxAttempts: 2, intervalSeconds: 1, backoffRate: 1 };
  const step = (name: string, dependsOn: string[], taskSeconds: number, retries = [lostToken]): TimedStep =>
    ({ name, dependsOn, taskSeconds, retries });

  test.each<[string, TimedStep, number]>([
    ['no retry', step('s', [], 100, []), 100],
    ['the lost token\'s retry', step('s', [], 100), 3 * 100 + 2],
    ['two retries', step('s', [], 100, [lostToken, { maxAttempts: 2, intervalSeconds: 60, backoffRate: 2 }]), 5 * 100 + 2 + 60 + 120],
  ])('worstCaseSeconds with %s', (_what, timed, seconds) => {
    expect(worstCaseSeconds(timed)).toBe(seconds);
  });

  test('budgets, state timeouts and the longest span of a diamond listed out of order', () => {
    const steps = [step('d', ['b', 'c'], 40), step('c', ['a'], 30), step('b', ['a'], 20), step('a', [], 10)];
    const w = { a: 3 * 10 + 2, b: 3 * 20 + 2, c: 3 * 30 + 2, d: 3 * 40 + 2 };
    expect(Object.fromEntries(waitBudgets(steps))).toEqual({ a: 0, b: w.a, c: w.a, d: w.a + w.c });
    expect(Object.fromEntries(graphStateTimeouts(steps))).toEqual({ a: 10, b: w.a + 20, c: w.a + 30, d: w.a + w.c + 40 });
    expect(longestSpanSeconds(steps)).toBe(w.a + w.c + w.d);
  });

  test('no steps: no span', () => {
    expect(longestSpanSeconds([])).toBe(0);
  });

  test('a state timeout of exactly the maximum passes; one second more is refused, naming the step and the numbers', () => {
    const root = step('root', [], 1000, []);
    const ok = step('last', ['root'], MAX_STATE_TIMEOUT_SECONDS - 1000, []);
    expect(graphStateTimeouts([root, ok]).get('last')).toBe(MAX_STATE_TIMEOUT_SECONDS);
    const over = step('last', ['root'], MAX_STATE_TIMEOUT_SECONDS - 999, []);
    expect(() => graphStateTimeouts([root, over])).toThrow(
      `step "last" would need a TimeoutSeconds of ${MAX_STATE_TIMEOUT_SECONDS + 1} (1000 s waiting for the steps it depends on, `
      + `then ${MAX_STATE_TIMEOUT_SECONDS - 999} s of its own), more than Step Functions' maximum of 99999999`);
  });
});

describe('planPipeline', () => {
  test('a sequence: own timeouts, no dependencies in the inputs, the last step final, nothing kept', () => {
    const plan = planPipeline([job('a', undefined, 10), job('b', undefined, 20)], Duration.minutes(5));
    expect(plan.isGraph).toBe(false);
    expect(plan.steps.map((s) => s.timeout.toSeconds())).toEqual([taskOf(10), taskOf(20)]);
    expect(plan.steps.map((s) => s.heartbeat.toSeconds())).toEqual([heartbeatOf(), heartbeatOf()]);
    expect(plan.steps.map((s) => [s.input.dependsOn, s.input.keepResultSeconds, s.input.final]))
      .toEqual([[undefined, undefined, undefined], [undefined, undefined, true]]);
  });

  test('a graph: timeouts include the wait, inputs carry dependencies, depended-on steps keep results', () => {
    const plan = planPipeline(diamond(), Duration.minutes(5));
    expect(plan.isGraph).toBe(true);
    const byName = Object.fromEntries(plan.steps.map((s) => [s.step.stepName, s]));
    expect(plan.steps.map((s) => s.step.stepName)).toEqual(['a', 'd', 'b', 'c']);
    expect(byName.d.timeout.toSeconds()).toBe(BUDGET.d + T.d);
    expect(byName.d.heartbeat.toSeconds()).toBe(heartbeatOf());
    expect(byName.d.input).toMatchObject({ kind: 'glue-workflow', dependsOn: ['b', 'c'], taskTimeoutSeconds: BUDGET.d + T.d });
    expect(byName.d.input.keepResultSeconds).toBeUndefined();
    expect(byName.a.input.keepResultSeconds).toBe(2 * (BUDGET.d + W.d) + REDRIVE + DAY);
    expect(byName.c.retries.map((r) => r.maxAttempts)).toEqual([2, 3]);
    expect(plan.steps.every((s) => s.input.final === undefined)).toBe(true);
  });
});

test('the runner gets no graph size for a chain and the step count for a graph', () => {
  const chain = synth([job('a'), job('b')]);
  const graph = synth([job('a', []), job('b', []), job('c', ['a', 'b'])]);
  chain.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [RunnerEnv.GRAPH_STEPS]: Match.absent() } } });
  graph.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [RunnerEnv.GRAPH_STEPS]: '3' } } });
});
