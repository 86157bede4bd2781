import { readRunnerConfig } from '../../src/lambda/entry/runner-config';
import { RunnerEnv } from '../../src/shared/contract';

const base = {
  [RunnerEnv.ACTIVITY_ARN]: 'arn:aws:states:us-east-1:111122223333:activity:a',
  [RunnerEnv.TRACKING_TABLE]: 'table',
  [RunnerEnv.PIPELINE_ID]: 'p1',
  [RunnerEnv.STATE_MACHINE_ARN]: 'arn:aws:states:us-east-1:111122223333:stateMachine:sm',
  [RunnerEnv.CHECK_INTERVAL_SECONDS]: '300',
};

describe('readRunnerConfig', () => {
  it('GIVEN the required variables WHEN read THEN they land in the config and mail is off', () => {
    // WHEN
    const config = readRunnerConfig({ ...base });
    // THEN
    expect(config).toEqual({
      activityArn: base.GOP_ACTIVITY_ARN, tableName: 'table', pipelineId: 'p1', stateMachineArn: base.GOP_STATE_MACHINE_ARN, checkIntervalMs: 300_000, mail: undefined,
    });
  });

  it.each(['0', '-60', '90.5', 'five minutes'])('GIVEN a check interval of "%s" WHEN read THEN the error names the variable and the value', (value) => {
    expect(() => readRunnerConfig({ ...base, [RunnerEnv.CHECK_INTERVAL_SECONDS]: value }))
      .toThrow(`${RunnerEnv.CHECK_INTERVAL_SECONDS} must be a positive whole number of seconds, got "${value}"`);
  });

  it.each([RunnerEnv.ACTIVITY_ARN, RunnerEnv.TRACKING_TABLE, RunnerEnv.PIPELINE_ID, RunnerEnv.STATE_MACHINE_ARN, RunnerEnv.CHECK_INTERVAL_SECONDS])(
    'GIVEN %s is missing WHEN read THEN the error names it',
    (name) => {
      // GIVEN
      const env: NodeJS.ProcessEnv = { ...base };
      delete env[name];
      // WHEN / THEN
      expect(() => readRunnerConfig(env)).toThrow(`environment variable ${name} is not set`);
    },
  );

  it('GIVEN a required variable set to an empty string WHEN read THEN it counts as missing', () => {
    expect(() => readRunnerConfig({ ...base, [RunnerEnv.PIPELINE_ID]: '' })).toThrow(RunnerEnv.PIPELINE_ID);
  });

  it('GIVEN sender and comma-separated recipients with spaces WHEN read THEN mail goes to each trimmed recipient', () => {
    // WHEN
    const config = readRunnerConfig({ ...base, [RunnerEnv.NOTIFY_SENDER]: 'etl@example.com', [RunnerEnv.NOTIFY_RECIPIENTS]: ' a@example.com, b@example.com ,,' });
    // THEN
    expect(config.mail).toEqual({ sender: 'etl@example.com', recipients: ['a@example.com', 'b@example.com'] });
  });

  it('GIVEN a sender but no recipients WHEN read THEN mail is off', () => {
    expect(readRunnerConfig({ ...base, [RunnerEnv.NOTIFY_SENDER]: 'etl@example.com', [RunnerEnv.NOTIFY_RECIPIENTS]: ' , ' }).mail).toBeUndefined();
  });

  it('GIVEN recipients but no sender WHEN read THEN mail is off', () => {
    expect(readRunnerConfig({ ...base, [RunnerEnv.NOTIFY_RECIPIENTS]: 'a@example.com' }).mail).toBeUndefined();
  });

  it.each<[string, string | undefined, number | undefined]>([
    ['unset (a sequence)', undefined, undefined],
    ['empty (a sequence)', '', undefined],
    ['one step', '1', 1],
    ['twelve steps', '12', 12],
  ])('GIVEN %s for the graph steps WHEN read THEN graphSteps is %p', (_label, value, expected) => {
    // GIVEN
    const env: NodeJS.ProcessEnv = { ...base };
    if (value !== undefined) {
      env[RunnerEnv.GRAPH_STEPS] = value;
    }
    // WHEN
    const config = readRunnerConfig(env);
    // THEN
    expect(config.graphSteps).toBe(expected);
  });

  it.each(['0', '-3', '2.5', 'three', ' ', 'NaN', 'Infinity'])('GIVEN graph steps of "%s" WHEN read THEN the error names the variable and the value', (value) => {
    expect(() => readRunnerConfig({ ...base, [RunnerEnv.GRAPH_STEPS]: value }))
      .toThrow(`environment variable ${RunnerEnv.GRAPH_STEPS} must be a positive whole number of steps, got "${value}"`);
  });
});
