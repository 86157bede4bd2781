import {
  emfLine, notificationFailedLine, runnerErrorLine, stepFailedLine, stepStartedLine, stepSucceededLine,
} from '../../src/lambda/entry/metrics';
import { FAILED_DIMENSION_SETS, METRICS_NAMESPACE, PIPELINE_DIMENSION_SETS, STEP_DIMENSION_SETS } from '../../src/shared/operations';

const AT = Date.parse('2025-03-01T12:00:00.000Z');
const STEP = { pipelineId: 'nightly-etl', stepName: 'load', kind: 'glue-job' as const };
const STEP_DIMENSIONS = { Pipeline: 'nightly-etl', Step: 'load', Kind: 'glue-job' };

describe('EMF lines: one fact, one line, as the embedded metric format specifies', () => {
  it.each([
    ['a success with its duration and a job run\'s measures', stepSucceededLine(STEP, AT, { StepDuration: 125.5, StepAttempts: 2, StepCapacityWait: 12, StepDpuSecondsEstimated: 600 }), {
      _aws: {
        Timestamp: AT,
        CloudWatchMetrics: [{
          Namespace: METRICS_NAMESPACE,
          Dimensions: STEP_DIMENSION_SETS,
          Metrics: [
            { Name: 'StepSucceeded', Unit: 'Count' }, { Name: 'StepDuration', Unit: 'Seconds' }, { Name: 'StepAttempts', Unit: 'Count' },
            { Name: 'StepCapacityWait', Unit: 'Seconds' }, { Name: 'StepDpuSecondsEstimated', Unit: 'None' },
          ],
        }],
      },
      ...STEP_DIMENSIONS,
      StepSucceeded: 1,
      StepDuration: 125.5,
      StepAttempts: 2,
      StepCapacityWait: 12,
      StepDpuSecondsEstimated: 600,
    }],
    ['a failed attempt: StepFailed per error name, the rest per step only', stepFailedLine(STEP, 'Glue.JobFailed', AT, { StepDuration: 30, StepAttempts: 1, StepDpuSeconds: 40 }), {
      _aws: {
        Timestamp: AT,
        CloudWatchMetrics: [
          { Namespace: METRICS_NAMESPACE, Dimensions: FAILED_DIMENSION_SETS, Metrics: [{ Name: 'StepFailed', Unit: 'Count' }] },
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: STEP_DIMENSION_SETS,
            Metrics: [{ Name: 'StepDuration', Unit: 'Seconds' }, { Name: 'StepAttempts', Unit: 'Count' }, { Name: 'StepDpuSeconds', Unit: 'None' }],
          },
        ],
      },
      ...STEP_DIMENSIONS,
      ErrorName: 'Glue.JobFailed',
      StepFailed: 1,
      StepDuration: 30,
      StepAttempts: 1,
      StepDpuSeconds: 40,
    }],
    ['a failure with nothing measured: StepFailed alone', stepFailedLine(STEP, 'Pipeline.StartFailed', AT, {}), {
      _aws: { Timestamp: AT, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: FAILED_DIMENSION_SETS, Metrics: [{ Name: 'StepFailed', Unit: 'Count' }] }] },
      ...STEP_DIMENSIONS,
      ErrorName: 'Pipeline.StartFailed',
      StepFailed: 1,
    }],
    ['a start with its latencies', stepStartedLine(STEP, AT, { StepStartLatency: 3, StepTransitionLatency: 61 }), {
      _aws: {
        Timestamp: AT,
        CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: STEP_DIMENSION_SETS, Metrics: [{ Name: 'StepStartLatency', Unit: 'Seconds' }, { Name: 'StepTransitionLatency', Unit: 'Seconds' }] }],
      },
      ...STEP_DIMENSIONS,
      StepStartLatency: 3,
      StepTransitionLatency: 61,
    }],
    ['a runner error: per pipeline, with its message', runnerErrorLine('nightly-etl', AT, 'check failed; retried next cycle'), {
      _aws: { Timestamp: AT, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: PIPELINE_DIMENSION_SETS, Metrics: [{ Name: 'RunnerErrors', Unit: 'Count' }] }] },
      Pipeline: 'nightly-etl',
      RunnerErrors: 1,
      message: 'check failed; retried next cycle',
    }],
    ['a notification not sent: per pipeline, with its channel and step', notificationFailedLine('nightly-etl', AT, 'mail', 'load'), {
      _aws: { Timestamp: AT, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: PIPELINE_DIMENSION_SETS, Metrics: [{ Name: 'NotificationFailures', Unit: 'Count' }] }] },
      Pipeline: 'nightly-etl',
      NotificationFailures: 1,
      channel: 'mail',
      stepName: 'load',
    }],
  ])('%s', (_, line, expected) => {
    expect(line).toEqual(expected);
  });

  it('GIVEN values that are missing or not finite WHEN the line is made THEN they are left out, from the directive and the root alike', () => {
    const line = stepSucceededLine(STEP, AT, { StepDuration: 10, StepCapacityWait: undefined, StepDpuSeconds: Number.NaN });
    expect(line?._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name)).toEqual(['StepSucceeded', 'StepDuration']);
    expect(line).not.toHaveProperty('StepCapacityWait');
    expect(line).not.toHaveProperty('StepDpuSeconds');
  });

  it('GIVEN a start with no latency measured WHEN the line is made THEN there is no line', () => {
    expect(stepStartedLine(STEP, AT, {})).toBeUndefined();
  });

  it('GIVEN a property named like a dimension or a metric WHEN the line is made THEN the dimension and the metric win', () => {
    const line = emfLine({ at: AT, dimensions: { Pipeline: 'p' }, directives: [{ dimensionSets: PIPELINE_DIMENSION_SETS, values: { RunnerErrors: 1 } }], properties: { Pipeline: 'x', RunnerErrors: 5 } });
    expect(line).toMatchObject({ Pipeline: 'p', RunnerErrors: 1 });
  });

  it.each([
    ['a dimension set with more than 30 keys', { dimensions: Object.fromEntries([...Array(31).keys()].map((i) => [`d${i}`, 'v'])), sets: [[...Array(31).keys()].map((i) => `d${i}`)] }, /30 dimensions/],
    ['a dimension with no value on the line', { dimensions: {}, sets: [['Pipeline']] }, /no value for dimension Pipeline/],
  ])('GIVEN %s WHEN the line is made THEN it is refused (CloudWatch would drop it)', (_, { dimensions, sets }, message) => {
    expect(() => emfLine({ at: AT, dimensions, directives: [{ dimensionSets: sets, values: { RunnerErrors: 1 } }] })).toThrow(message);
  });
});
