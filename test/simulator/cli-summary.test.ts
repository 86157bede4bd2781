import { ExitCode } from '../../simulator/cli-options';
import { eventLines, exitCodeOf, mailText, missingInputField, outcomeLines, stepMetricLines } from '../../simulator/cli-summary';
import { PipelineEventTypes } from '../../src/shared/operations';

test.each([
  ['SUCCEEDED', ExitCode.SUCCEEDED],
  ['FAILED', ExitCode.EXECUTION_FAILED],
  ['TIMED_OUT', ExitCode.EXECUTION_FAILED],
  ['ABORTED', ExitCode.EXECUTION_FAILED],
  ['RUNNING', ExitCode.SIMULATION_FAILED],
] as const)('exitCodeOf(%s) = %p', (status, code) => {
  expect(exitCodeOf(status)).toBe(code);
});

test.each([
  ['aws-local-stepfunctions', "Path expression '$$.Execution.Input.runDate' does not point to a value", 'runDate'],
  ['Step Functions', "The JsonPath argument for the field '$$.Execution.Input.run.date' could not be found in the input '{}'", 'run.date'],
  ['a Glue failure', 'simulated FAILED: transform was told to end this way', undefined],
  ['no cause', undefined, undefined],
])('missingInputField: %s', (_, cause, field) => {
  expect(missingInputField(cause)).toBe(field);
});

describe('outcomeLines', () => {
  test('GIVEN an execution failed for a missing input field THEN its error, its cause and the input to give', () => {
    expect(outcomeLines({ status: 'FAILED', error: 'States.Runtime', cause: "Path expression '$$.Execution.Input.run.date' does not point to a value" }, '0:00')).toEqual([
      'Execution FAILED after 0:00 (simulated) with States.Runtime',
      "Cause: Path expression '$$.Execution.Input.run.date' does not point to a value",
      'The execution input has no "run.date", which a step reads ({{execution.run.date}}); give it, e.g. --input \'{"run":{"date":"..."}}\'',
    ]);
  });

  test('GIVEN a step failed THEN its error and the cause the runner gave', () => {
    expect(outcomeLines({ status: 'FAILED', error: 'Glue.JobFailed', cause: 'Glue job run jr_1 ended FAILED' }, '9:40')).toEqual([
      'Execution FAILED after 9:40 (simulated) with Glue.JobFailed',
      'Cause: Glue job run jr_1 ended FAILED',
    ]);
  });

  test('GIVEN it succeeded THEN one line', () => {
    expect(outcomeLines({ status: 'SUCCEEDED' }, '15:00')).toEqual(['Execution SUCCEEDED after 15:00 (simulated)']);
  });
});

test('mailText names every recipient', () => {
  expect(mailText({
    messageId: 'ses-1',
    from: 'pipelines@example.com',
    destination: { to: ['data-team@example.com', 'oncall@example.com'], cc: [], bcc: [] },
    subject: 'step load failed',
    body: { text: 'details' },
    at: 0,
  })).toBe('From: pipelines@example.com\nTo: data-team@example.com, oncall@example.com\nSubject: step load failed\n\ndetails');
});

describe('stepMetricLines: a line per step from the runner\'s metric lines', () => {
  const step = (Step: string, values: Record<string, unknown>) => ({ _aws: { Timestamp: 0, CloudWatchMetrics: [] }, Pipeline: 'p', Step, Kind: 'glue-job', ...values });

  test('GIVEN no step ended THEN no lines', () => {
    expect(stepMetricLines([step('a', { StepStartLatency: 1 }), { _aws: {}, Pipeline: 'p', RunnerErrors: 1 }])).toEqual([]);
  });

  test('GIVEN a success, a failure retried by the state machine then a success, and a failure THEN each step\'s outcome, duration, capacity wait, attempts, DPU-seconds and latency, in the order the steps first show', () => {
    expect(stepMetricLines([
      step('extract', { StepStartLatency: 2.4 }),
      step('extract', { StepSucceeded: 1, StepDuration: 65.2, StepAttempts: 1, StepCapacityWait: 4, StepDpuSeconds: 600 }),
      step('transform', { StepStartLatency: 1 }),
      step('transform', { StepFailed: 1, ErrorName: 'Glue.JobFailed', StepDuration: 30, StepAttempts: 1 }),
      step('transform', { StepStartLatency: 0.6 }),
      step('transform', { StepSucceeded: 1, StepDuration: 95, StepAttempts: 2, StepDpuSecondsEstimated: 900 }),
      step('load', { StepTransitionLatency: 3 }),
      step('load', { StepFailed: 1, ErrorName: 'Pipeline.StartFailed' }),
    ])).toEqual([
      'Steps, from the runner\'s metrics:',
      '  extract    SUCCEEDED                        duration 65 s, capacity wait 4 s, attempts 1, DPU-seconds 600, start latency 2 s',
      '  transform  SUCCEEDED (1 failed try before)  duration 95 s, attempts 2, DPU-seconds ~900 (estimated), start latency 1 s',
      '  load       FAILED (Pipeline.StartFailed)    transition latency 3 s',
    ]);
  });
});

describe('eventLines', () => {
  const put = (at: number, detailType: string, detail: object) => ({ at, eventBusName: 'default', source: 'glue-orchestrated-pipeline', detailType, detail });

  test('GIVEN a late event and a failure event THEN one line each, at the execution\'s time, saying what each tells', () => {
    expect(eventLines([
      put(1100 + 665, PipelineEventTypes.STEP_LATE, { step: 'transform', attempt: 0, runId: 'jr_1', state: 'RUNNING', expectedSeconds: 600, runningSeconds: 661 }),
      put(1100 + 1265, PipelineEventTypes.STEP_FAILED, { step: 'transform', attempt: 0, error: 'Glue.JobFailed', willRetry: true }),
    ], 1100)).toEqual([
      'Events put on the default event bus:',
      '   11:05  Glue Pipeline Step Late    transform (attempt 0): running 11:01, expected 10:00; run jr_1 RUNNING',
      '   21:05  Glue Pipeline Step Failed  transform (attempt 0): Glue.JobFailed, will be retried',
    ]);
  });

  test('GIVEN no event THEN no lines', () => {
    expect(eventLines([], 0)).toEqual([]);
  });
});
