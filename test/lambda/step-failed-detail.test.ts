import { failureLinks } from '../../src/lambda/decisions/console-links';
import { stepFailedDetail, StepFailure } from '../../src/lambda/decisions/step-failed-detail';

const EXECUTION = 'arn:aws:states:eu-west-1:111122223333:execution:nightly-etl:run-42';

const JOB_FAILURE: StepFailure = {
  pipelineId: 'NightlyEtlPipelineA1B2C3',
  pipelineName: 'nightly-etl',
  stepName: 'transform',
  kind: 'glue-job',
  resourceName: 'transform job',
  runId: 'jr_0123abcd',
  finalState: 'FAILED',
  error: 'Glue.JobFailed',
  message: 'AnalysisException: Table or view not found: sales',
  executionId: EXECUTION,
  attempt: 1,
  retry: [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }, { errors: ['Glue.JobFailed'], maxAttempts: 2 }],
};

describe('stepFailedDetail: the content of a failure event', () => {
  it('GIVEN a failed job run WHEN described THEN every field is set, and the links are the eu-west-1 console\'s', () => {
    expect(stepFailedDetail(JOB_FAILURE)).toEqual({
      pipeline: 'nightly-etl',
      pipelineId: 'NightlyEtlPipelineA1B2C3',
      execution: EXECUTION,
      step: 'transform',
      kind: 'glue-job',
      resourceName: 'transform job',
      runId: 'jr_0123abcd',
      state: 'FAILED',
      error: 'Glue.JobFailed',
      message: 'AnalysisException: Table or view not found: sales',
      attempt: 1,
      willRetry: true,
      links: {
        glue: 'https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/transform%20job/run/jr_0123abcd',
        execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
        logs: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Foutput/log-events/jr_0123abcd',
        errorLogs: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Ferror/log-events/jr_0123abcd',
      },
    });
  });

  it.each<[string, number | undefined, number | undefined]>([
    ['the execution\'s first run', 0, 0],
    ['its second redrive: the attempt counts from 0 again, the redrive count tells it apart', 2, 2],
    ['an older state machine, which does not pass the count', undefined, undefined],
  ])('GIVEN a failure in %s WHEN described THEN redriveCount is %p', (_case, redriveCount, expected) => {
    const detail = stepFailedDetail({ ...JOB_FAILURE, attempt: 0, redriveCount });
    expect(detail.redriveCount).toBe(expected);
    expect(detail.attempt).toBe(0);
  });

  it('GIVEN the last attempt WHEN described THEN it will not be retried', () => {
    expect(stepFailedDetail({ ...JOB_FAILURE, attempt: 2 }).willRetry).toBe(false);
  });

  it('GIVEN a task input from an older state machine (no name, attempt, retry) WHEN described THEN the pipeline is called by its id and the unknown fields are left out', () => {
    const detail = stepFailedDetail({ ...JOB_FAILURE, pipelineName: undefined, attempt: undefined, retry: undefined });
    expect(detail.pipeline).toBe('NightlyEtlPipelineA1B2C3');
    expect(detail).not.toHaveProperty('attempt');
    expect(detail).not.toHaveProperty('willRetry');
  });

  it('GIVEN a task that failed before its input could be read WHEN described THEN only what is known is set, and nothing reads "undefined"', () => {
    const detail = stepFailedDetail({ pipelineId: 'p1', stepName: '(unknown step)', finalState: 'INVALID_INPUT', error: 'Pipeline.InvalidInput', message: 'task input is not JSON' });
    expect(detail).toEqual({
      pipeline: 'p1', pipelineId: 'p1', step: '(unknown step)', state: 'INVALID_INPUT', error: 'Pipeline.InvalidInput', message: 'task input is not JSON', links: {},
    });
  });
});

describe('failureLinks: console pages of the run, by kind, in the execution\'s region and partition', () => {
  it.each<[string, Parameters<typeof failureLinks>[0], ReturnType<typeof failureLinks>]>([
    ['a crawl: the crawler\'s page and its log stream', { executionArn: EXECUTION, kind: 'glue-crawler', resourceName: 'raw-crawler', runId: 'c-1' }, {
      glue: 'https://eu-west-1.console.aws.amazon.com/glue/home?region=eu-west-1#/v2/data-catalog/crawlers/view/raw-crawler',
      execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
      logs: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws-glue$252Fcrawlers/log-events/raw-crawler',
    }],
    ['a workflow run: the workflow\'s page, no logs of its own', { executionArn: EXECUTION, kind: 'glue-workflow', resourceName: 'wf', runId: 'wr_1' }, {
      glue: 'https://eu-west-1.console.aws.amazon.com/glue/home?region=eu-west-1#/v2/etl-configuration/workflows/view/wf',
      execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    }],
    ['a trigger: the trigger\'s page', { executionArn: EXECUTION, kind: 'glue-trigger', resourceName: 'nightly/trigger' }, {
      glue: 'https://eu-west-1.console.aws.amazon.com/glue/home?region=eu-west-1#/v2/etl-configuration/triggers/view/nightly%2Ftrigger',
      execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    }],
    ['a job that never started: no run page, no logs', { executionArn: EXECUTION, kind: 'glue-job', resourceName: 'j' }, {
      execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    }],
    ['China: the amazonaws.cn console', { executionArn: 'arn:aws-cn:states:cn-north-1:111122223333:execution:sm:e', kind: 'glue-crawler', resourceName: 'c' }, {
      glue: 'https://console.amazonaws.cn/glue/home?region=cn-north-1#/v2/data-catalog/crawlers/view/c',
      execution: 'https://console.amazonaws.cn/states/home?region=cn-north-1#/v2/executions/details/arn:aws-cn:states:cn-north-1:111122223333:execution:sm:e',
      logs: 'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#logsV2:log-groups/log-group/$252Faws-glue$252Fcrawlers/log-events/c',
    }],
    ['GovCloud: the amazonaws-us-gov.com console', { executionArn: 'arn:aws-us-gov:states:us-gov-west-1:111122223333:execution:sm:e' }, {
      execution: 'https://console.amazonaws-us-gov.com/states/home?region=us-gov-west-1#/v2/executions/details/arn:aws-us-gov:states:us-gov-west-1:111122223333:execution:sm:e',
    }],
    ['a partition without a known console: no links', { executionArn: 'arn:aws-iso:states:us-iso-east-1:111122223333:execution:sm:e', kind: 'glue-crawler', resourceName: 'c' }, {}],
    ['no execution known: no region, no links', { kind: 'glue-job', resourceName: 'j', runId: 'jr_1' }, {}],
  ])('GIVEN %s WHEN linked THEN the links are the console\'s', (_case, where, expected) => {
    expect(failureLinks(where)).toEqual(expected);
  });
});
