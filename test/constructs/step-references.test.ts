import { Duration, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep, StepValue } from '../../src';
import { GRAPH_STATE_NAME } from '../../src/constructs/state-machine-definition';
import {
  checkStepReferences, executionPaths, Reference, ReferenceScope, referencedSteps, referencesOf,
} from '../../src/constructs/step-references';
import { ReferenceSite } from '../../src/constructs/steps/step-internals';
import { StepKind } from '../../src/shared/contract';
import { definitionOf, emptyStack } from '../support/pipeline-fixture';

interface State {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly Parameters?: Record<string, unknown>;
  readonly Branches?: Array<{ StartAt: string; States: Record<string, State> }>;
}

function synth(steps: PipelineStep[]): Template {
  const stack = emptyStack();
  new GlueOrchestratedPipeline(stack, 'Pipeline', { steps });
  return Template.fromStack(stack);
}

/** The activity state of each step, whether the steps form a chain or a graph. */
function stepStates(template: Template): Record<string, State> {
  const states = definitionOf(template).States as unknown as Record<string, State>;
  const graph = states[GRAPH_STATE_NAME];
  // The re-run Choice and Pass states at the start are no steps.
  return graph ? Object.assign({}, ...graph.Branches!.map((b) => b.States)) : Object.fromEntries(Object.entries(states).filter(([, s]) => s.Type === 'Task'));
}

const job = (stepName: string, args: Record<string, string> = {}, dependsOn?: string[]) =>
  PipelineStep.glueJob({ stepName, job: GlueJob.fromName(`${stepName}-job`), arguments: args, dependsOn });

// The fields of each kind's result, as StepValue.fromStepResult documents them.
const FIELDS: Record<StepKind, string[]> = {
  'glue-job': ['stepName', 'jobName', 'jobRunId', 'state', 'startedOn', 'completedOn', 'executionTimeSeconds'],
  'glue-crawler': ['stepName', 'crawlerName', 'crawlId', 'state', 'startedOn', 'completedOn', 'logGroup', 'logStream'],
  'glue-trigger': ['stepName', 'triggerName', 'state', 'startedOn'],
  'glue-workflow': ['stepName', 'workflowName', 'workflowRunId', 'state', 'startedOn', 'completedOn', 'succeededActions'],
};

/** A first step of `kind` named "src", for a second step to refer to. */
const source: Record<StepKind, () => PipelineStep> = {
  'glue-job': () => PipelineStep.glueJob({ stepName: 'src', job: GlueJob.fromName('j') }),
  'glue-crawler': () => PipelineStep.glueCrawler({ stepName: 'src', crawlerName: 'c' }),
  'glue-trigger': () => PipelineStep.glueTrigger({ stepName: 'src', triggerName: 't' }),
  'glue-workflow': () => PipelineStep.glueWorkflow({ stepName: 'src', workflowName: 'w' }),
};

describe('StepValue', () => {
  test.each([
    ['runDate', '{{execution.runDate}}'],
    ['run.date', '{{execution.run.date}}'],
    ['_private.v2', '{{execution._private.v2}}'],
    ['a.b.c.d', '{{execution.a.b.c.d}}'],
  ])('fromExecutionInput(%p) is %p', (path, text) => {
    expect(StepValue.fromExecutionInput(path)).toBe(text);
  });

  test.each(['', '1st', 'a..b', 'a.', '.a', 'a-b', 'a b', 'run.1', 'a.b}}', '{{a}}'])('fromExecutionInput(%p) is refused, naming the path', (path) => {
    expect(() => StepValue.fromExecutionInput(path)).toThrow(`execution input path "${path}" is not valid: use names of letters, digits and "_"`);
  });

  test('fromExecutionInput refuses a token and a non-string', () => {
    expect(() => StepValue.fromExecutionInput(Token.asString({ Ref: 'P' }))).toThrow(/execution input path ".*" is not valid/);
    expect(() => StepValue.fromExecutionInput(5 as unknown as string)).toThrow(/execution input path "5" is not valid/);
  });

  test.each([
    ['extract', 'jobRunId', '{{steps.extract.jobRunId}}'],
    ['Step_2', 'state', '{{steps.Step_2.state}}'],
    ['x'.repeat(64), 'startedOn', `{{steps.${'x'.repeat(64)}.startedOn}}`],
  ])('fromStepResult(%p, %p) is %p', (stepName, field, text) => {
    expect(StepValue.fromStepResult(stepName, field)).toBe(text);
  });

  test.each([
    ['1st', 'state'],
    ['a-b', 'state'],
    ['', 'state'],
    ['_a', 'state'],
    ['x'.repeat(65), 'state'],
    ['a', ''],
    ['a', 'job_run_id'],
    ['a', 'jobRunId2'],
    ['a', 'b.c'],
    ['a.b', 'state'],
  ])('fromStepResult(%p, %p) is refused, naming both', (stepName, field) => {
    expect(() => StepValue.fromStepResult(stepName, field)).toThrow(`step result reference "${stepName}"."${field}" is not valid`);
  });

  test('fromStepResult refuses a token', () => {
    expect(() => StepValue.fromStepResult(Token.asString({ Ref: 'P' }), 'state')).toThrow(/step result reference .* is not valid/);
  });

  test('what the helpers write reads back as the same reference', () => {
    const value = `${StepValue.fromExecutionInput('run.date')}/${StepValue.fromStepResult('extract', 'jobRunId')}`;
    const refs = referencesOf('s', [{ what: 'argument', key: '--k', value }]);
    expect(refs.map(({ site: _site, ...ref }) => ref)).toEqual([
      { type: 'execution', path: 'run.date', text: '{{execution.run.date}}' },
      { type: 'step', stepName: 'extract', field: 'jobRunId', text: '{{steps.extract.jobRunId}}' },
    ]);
  });
});

describe('referencesOf', () => {
  const site = (value: string): ReferenceSite => ({ what: 'argument', key: '--k', value });

  test('finds every reference, anywhere and any number of times, spaces inside the braces allowed', () => {
    const value = 's3://b/date={{execution.runDate}}/from={{ steps.a.jobRunId }}/again={{execution.runDate}}';
    expect(referencesOf('s', [site(value)]).map(({ site: _site, ...ref }) => ref)).toEqual([
      { type: 'execution', path: 'runDate', text: '{{execution.runDate}}' },
      { type: 'step', stepName: 'a', field: 'jobRunId', text: '{{ steps.a.jobRunId }}' },
      { type: 'execution', path: 'runDate', text: '{{execution.runDate}}' },
    ]);
  });

  test.each(['plain', '', '{single}', '{"a": {"b": 1}}', 'closing only }}', '{ {execution.x} }'])('%p holds no reference', (value) => {
    expect(referencesOf('s', [site(value)])).toEqual([]);
  });

  test.each([
    '{{foo}}', '{{}}', '{{execution}}', '{{execution.}}', '{{execution.a-b}}', '{{execution. a}}', '{{Execution.a}}',
    '{{steps.a}}', '{{steps.a.b.c}}', '{{steps.1a.state}}', '{{steps.a.job_run}}', '{{step.a.state}}', 'ok {{execution.a}} then {{nope}}',
  ])('%p is malformed, and the error names the step, the key, the reference and the value', (value) => {
    const bad = [...value.matchAll(/\{\{[^{}]*\}\}/g)].map((m) => m[0]).find((r) => r !== '{{execution.a}}')!;
    expect(() => referencesOf('load', [site('fine'), site(value)]))
      .toThrow(`step "load": argument "--k" holds a malformed reference ${bad} in "${value}"; write {{execution.<path>}} or {{steps.<step>.<field>}}`);
  });

  test.each(['{{execution.a', 'x {{execution.a}} and {{', 'a {{ b', '{{execution.a}{{execution.b}}'])('%p leaves a "{{" unclosed', (value) => {
    expect(() => referencesOf('load', [{ what: 'run property', key: 'day', value }]))
      .toThrow(`step "load": run property "day" has a "{{" that no "}}" closes in "${value}"`);
  });

  test('executionPaths and referencedSteps list each once, in the order first referred to', () => {
    const refs = referencesOf('s', [
      site('{{execution.b}} {{steps.y.state}} {{execution.a}}'),
      site('{{execution.b}} {{steps.x.state}} {{steps.y.startedOn}}'),
    ]);
    expect(executionPaths(refs)).toEqual(['b', 'a']);
    expect(referencedSteps(refs)).toEqual(['y', 'x']);
  });
});

describe('checkStepReferences', () => {
  const scope: ReferenceScope = {
    stepNames: ['extract', 'crawl', 'load'],
    kinds: new Map<string, StepKind>([['extract', 'glue-job'], ['crawl', 'glue-crawler'], ['load', 'glue-job']]),
    upstream: new Set(['extract']),
  };
  const refs = (value: string): Reference[] => referencesOf('load', [{ what: 'argument', key: '--k', value }]);

  test.each([
    '{{steps.extract.jobRunId}}', '{{steps.extract.executionTimeSeconds}}', '{{execution.anything}}', 'no reference',
  ])('%p passes', (value) => {
    expect(() => checkStepReferences('load', refs(value), scope)).not.toThrow();
  });

  test.each<[string, string]>([
    ['{{steps.ghost.state}}',
      'step "load": argument "--k" refers to step "ghost" in "{{steps.ghost.state}}", which is not a step of this pipeline; steps: extract, crawl, load'],
    ['{{steps.load.state}}', 'step "load": argument "--k" refers to its own result in "{{steps.load.state}}"'],
    ['{{steps.crawl.state}}',
      'step "load": argument "--k" refers to step "crawl" in "{{steps.crawl.state}}", but "load" does not depend on "crawl", '
      + 'so its result may not exist yet; add "crawl" to the dependsOn of "load"'],
    ['{{steps.extract.crawlerName}}',
      'step "load": argument "--k" refers to field "crawlerName" of step "extract" in "{{steps.extract.crawlerName}}", '
      + `which the result of a glue-job step does not have; fields: ${FIELDS['glue-job'].join(', ')}`],
  ])('%p is refused', (value, message) => {
    expect(() => checkStepReferences('load', refs(value), scope)).toThrow(message);
  });
});

describe('execution input in a pipeline', () => {
  test('a job argument referring to the execution input makes its state pass the value in inputs', () => {
    const states = stepStates(synth([job('load', {
      '--date': `s3://bucket/date=${StepValue.fromExecutionInput('runDate')}/`,
      '--region': '{{ execution.run.region }}-{{execution.runDate}}',
      '--plain': 'x',
    })]));
    expect(states.load.Parameters!.inputs).toEqual({
      'runDate.$': '$$.Execution.Input.runDate',
      'run.region.$': '$$.Execution.Input.run.region',
    });
    // the values go to the runner as written: it replaces the references
    expect(states.load.Parameters!.arguments).toEqual({
      '--date': 's3://bucket/date={{execution.runDate}}/',
      '--region': '{{ execution.run.region }}-{{execution.runDate}}',
      '--plain': 'x',
    });
  });

  test('a workflow run property referring to the execution input does the same', () => {
    const states = stepStates(synth([PipelineStep.glueWorkflow({
      stepName: 'flow', workflowName: 'w', runProperties: { day: StepValue.fromExecutionInput('run.date') },
    })]));
    expect(states.flow.Parameters!.inputs).toEqual({ 'run.date.$': '$$.Execution.Input.run.date' });
    expect(states.flow.Parameters!.runProperties).toEqual({ day: '{{execution.run.date}}' });
  });

  test('steps without execution references pass no inputs, including those referring only to step results', () => {
    const states = stepStates(synth([job('a', { '--x': 'y' }), job('b', { '--from': '{{steps.a.jobRunId}}' }), source['glue-crawler']()]));
    for (const state of Object.values(states)) {
      expect(state.Parameters).not.toHaveProperty('inputs');
    }
  });

  test('each step passes only the paths its own values refer to, in a graph as in a chain', () => {
    const states = stepStates(synth([
      job('a', { '--d': '{{execution.day}}' }, []),
      job('b', { '--r': '{{execution.region}}' }, []),
      job('c', {}, ['a', 'b']),
    ]));
    expect(states.a.Parameters!.inputs).toEqual({ 'day.$': '$$.Execution.Input.day' });
    expect(states.b.Parameters!.inputs).toEqual({ 'region.$': '$$.Execution.Input.region' });
    expect(states.c.Parameters).not.toHaveProperty('inputs');
  });

  test('an execution reference alone keeps no result and makes no graph', () => {
    const template = synth([job('a', { '--d': '{{execution.day}}' }), job('b', { '--d': '{{execution.day}}' })]);
    const states = stepStates(template);
    expect(Object.keys(states)).toEqual(['a', 'b']);
    expect(states.a.Parameters).not.toHaveProperty('keepResultSeconds');
  });
});

describe('step results in a pipeline', () => {
  test('in a chain a step may use any step listed before it; those steps keep their results, the chain stays a chain', () => {
    const template = synth([
      job('extract'),
      job('transform', { '--input': StepValue.fromStepResult('extract', 'jobRunId') }),
      job('load', { '--a': '{{steps.extract.completedOn}}', '--b': '{{steps.transform.state}}' }),
    ]);
    const states = stepStates(template);
    expect(Object.keys(states)).toEqual(['extract', 'transform', 'load']);
    // timings documented in step-timing.ts / wait-budget.ts: task = 2,880 min + 30 min + heartbeat
    // (2 × 5 min + 3 min); worst = 3 tries (lost token retried twice, 1 s apart) of the task + 2 s
    const task = 2880 * 60 + 30 * 60 + (2 * 300 + 180);
    const worst = 3 * task + 2;
    expect(states.load.TimeoutSeconds).toBe(task);
    expect(states.extract.Parameters!.keepResultSeconds).toBe(2 * 3 * worst + 15 * 24 * 3600);
    expect(states.transform.Parameters!.keepResultSeconds).toBe(2 * 3 * worst + 15 * 24 * 3600);
    expect(states.load.Parameters).not.toHaveProperty('keepResultSeconds');
    for (const state of Object.values(states)) {
      expect(state.Parameters).not.toHaveProperty('dependsOn');
      expect(state.Parameters).not.toHaveProperty('inputs');
    }
    expect(states.load.Parameters!.arguments).toEqual({ '--a': '{{steps.extract.completedOn}}', '--b': '{{steps.transform.state}}' });
  });

  test('in a chain a step may not use a step listed after it', () => {
    expect(() => synth([job('extract', { '--x': '{{steps.load.jobRunId}}' }), job('load')])).toThrow(
      'step "extract": argument "--x" refers to step "load" in "{{steps.load.jobRunId}}", but "extract" does not depend on "load", '
      + 'so its result may not exist yet; add "load" to the dependsOn of "extract"');
  });

  test('in a graph a step may use the steps it depends on, directly or through others', () => {
    expect(() => synth([
      job('a', {}, []),
      job('b', {}, ['a']),
      job('c', {}, ['a']),
      job('d', { '--a': '{{steps.a.jobRunId}}', '--b': '{{steps.b.state}}' }, ['b']),
    ])).not.toThrow();
  });

  test('in a graph a step may not use a step that runs beside it', () => {
    expect(() => synth([
      job('a', {}, []),
      job('b', {}, ['a']),
      job('c', { '--from-b': StepValue.fromStepResult('b', 'jobRunId') }, ['a']),
    ])).toThrow(/step "c": argument "--from-b" refers to step "b" in "\{\{steps.b.jobRunId\}\}", but "c" does not depend on "b"/);
  });

  test('a step that is not in the pipeline', () => {
    expect(() => synth([job('a'), job('b', { '--x': 'run={{steps.ghost.jobRunId}}' })])).toThrow(
      'step "b": argument "--x" refers to step "ghost" in "run={{steps.ghost.jobRunId}}", which is not a step of this pipeline; steps: a, b');
  });

  test('a step\'s own result', () => {
    expect(() => synth([job('a'), job('b', { '--x': '{{steps.b.jobRunId}}' })])).toThrow(/step "b": argument "--x" refers to its own result/);
  });

  test('in a graph every step waited for keeps its result, whether or not it is referred to', () => {
    // a -> b -> c, c uses a's result; x on its own makes the steps a graph
    const states = stepStates(synth([job('a', {}, []), job('b', {}, ['a']), job('c', { '--a': '{{steps.a.state}}' }, ['b']), job('x', {}, [])]));
    expect(states.a.Parameters!.keepResultSeconds).toBeGreaterThan(0);
    expect(states.b.Parameters!.keepResultSeconds).toBe(states.a.Parameters!.keepResultSeconds);
    expect(states.c.Parameters).not.toHaveProperty('keepResultSeconds');
    expect(states.x.Parameters).not.toHaveProperty('keepResultSeconds');
  });

  describe.each(Object.keys(FIELDS) as StepKind[])('a %s step\'s result', (kind) => {
    test('every documented field may be used, from a job argument and from a workflow run property', () => {
      const fields = FIELDS[kind];
      expect(() => synth([
        source[kind](),
        job('use', Object.fromEntries(fields.map((f) => [`--${f}`, StepValue.fromStepResult('src', f)]))),
        PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'w', runProperties: Object.fromEntries(fields.map((f) => [f, `{{steps.src.${f}}}`])) }),
      ])).not.toThrow();
    });

    test('a field it does not have is refused, naming the field, the step, its kind and its fields', () => {
      const other = Object.values(FIELDS).flat().find((f) => !FIELDS[kind].includes(f))!;
      expect(() => synth([source[kind](), job('use', { '--x': `{{steps.src.${other}}}` })])).toThrow(
        `step "use": argument "--x" refers to field "${other}" of step "src" in "{{steps.src.${other}}}", `
        + `which the result of a ${kind} step does not have; fields: ${FIELDS[kind].join(', ')}`);
      expect(() => synth([
        source[kind](),
        PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'w', runProperties: { id: `{{steps.src.${other}}}` } }),
      ])).toThrow(`step "flow": run property "id" refers to field "${other}" of step "src"`);
    });
  });

  test('a field no kind has', () => {
    expect(() => synth([job('a'), job('b', { '--x': '{{steps.a.runId}}' })])).toThrow(/refers to field "runId" of step "a"/);
  });
});

describe('malformed references are refused when the step is made', () => {
  test.each(['{{runDate}}', '{{execution.run-date}}', '{{steps.a.job_run_id}}', '{{steps.a}}', 'x{{execution.a'])('job argument %p', (value) => {
    expect(() => job('load', { '--ok': '{{execution.a}}', '--bad': value })).toThrow(new RegExp('^step "load": argument "--bad" (holds|has)'));
  });

  test.each(['{{runDate}}', '{{steps.a.b.c}}', '{{execution.a'])('workflow run property %p', (value) => {
    expect(() => PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'w', runProperties: { day: value } }))
      .toThrow(new RegExp('^step "flow": run property "day" (holds|has)'));
  });

  test('the error quotes the reference and the whole value', () => {
    expect(() => job('load', { '--path': 's3://b/{{executon.day}}/' })).toThrow(
      'step "load": argument "--path" holds a malformed reference {{executon.day}} in "s3://b/{{executon.day}}/"');
  });

  test('argument keys are not read for references, only values', () => {
    expect(() => job('load', { '--{{x}}': 'v' })).not.toThrow();
  });

  test('a workflow\'s timeout has no bearing on its references', () => {
    expect(() => PipelineStep.glueWorkflow({ workflowName: 'w', timeout: Duration.hours(1), runProperties: { a: '{{execution.x}}' } })).not.toThrow();
  });
});
