import { Aspects, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LogicalDatePeriod } from '../../src';
import { readScheduledStart, SCHEDULED_START_SOURCE } from '../../src/shared/scheduled-start';
import { synthPipeline } from '../support/pipeline-fixture';

const nightly = () => ScheduleExpression.cron({ hour: '2', minute: '0', timeZone: TimeZone.EUROPE_LISBON });

describe('addExecutionSchedule', () => {
  test('GIVEN a nightly schedule WHEN synthesized THEN Scheduler invokes the runner, in the time zone, with a payload the runner reads', () => {
    // GIVEN / WHEN
    const { template, stack } = synthPipeline({}, (_s, pipeline) => pipeline.addExecutionSchedule('Nightly', {
      schedule: nightly(), input: { mode: 'full' }, executionNamePrefix: 'nightly',
    }));
    // THEN
    const schedules = template.findResources('AWS::Scheduler::Schedule');
    expect(Object.keys(schedules)).toHaveLength(1);
    const props = Object.values(schedules)[0].Properties;
    expect(props.ScheduleExpression).toBe('cron(0 2 * * ? *)');
    expect(props.ScheduleExpressionTimezone).toBe('Europe/Lisbon');
    expect(stack.resolve(props.Target.Arn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PipelineRunner/), 'Arn'] });
    const payload = JSON.parse(props.Target.Input);
    expect(payload).toEqual({
      source: SCHEDULED_START_SOURCE,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      timeZone: 'Europe/Lisbon',
      period: 'DAY',
      periodsBack: 1,
      dateField: 'runDate',
      input: { mode: 'full' },
      namePrefix: 'nightly',
    });
    // Scheduler substitutes the attribute; the runner then reads the payload as a schedule's.
    expect(readScheduledStart({ ...payload, scheduledTime: '2026-12-01T02:00:00Z' })).toMatchObject({ namePrefix: 'nightly' });
  });

  test('WHEN a schedule is added THEN the runner may start executions of this state machine, and nothing else new', () => {
    // GIVEN / WHEN
    const { template } = synthPipeline({}, (_s, pipeline) => pipeline.addExecutionSchedule('Nightly', { schedule: nightly() }));
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') } })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^PipelineRunnerRole') }],
    });
    // Scheduler's own role may invoke the runner only, and only this account's schedules may assume it.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineRunner'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^PipelineNightlyRole') }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })],
      },
    });
  });

  test('GIVEN no schedule WHEN synthesized THEN the runner cannot start executions', () => {
    const { template } = synthPipeline();
    expect(JSON.stringify(template.toJSON())).not.toContain('states:StartExecution');
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });

  test('GIVEN a rate schedule (no time zone) and hours WHEN synthesized THEN logical dates are read in UTC', () => {
    const { template } = synthPipeline({}, (_s, pipeline) => pipeline.addExecutionSchedule('Hourly', {
      schedule: ScheduleExpression.expression('rate(1 hour)'), period: LogicalDatePeriod.HOUR, periodsBack: 0, dateField: 'hour',
    }));
    const payload = JSON.parse(Object.values(template.findResources('AWS::Scheduler::Schedule'))[0].Properties.Target.Input);
    expect(payload).toMatchObject({ timeZone: 'Etc/UTC', period: 'HOUR', periodsBack: 0, dateField: 'hour', namePrefix: 'run' });
  });

  test('GIVEN a pipeline with a schedule WHEN checked by cdk-nag THEN there is no finding', () => {
    const { stack } = synthPipeline({}, (s, pipeline) => {
      pipeline.addExecutionSchedule('Nightly', { schedule: nightly() });
      Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true }));
    });
    const annotations = Annotations.fromStack(stack);
    expect([
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((a) => `${a.id}: ${String(a.entry.data).split(':')[0]}`)).toEqual([]);
  });

  test.each([
    [{ periodsBack: -1 }, /periodsBack must be a whole number, 0 or more, got -1/],
    [{ periodsBack: 0.5 }, /periodsBack must be a whole number, 0 or more, got 0.5/],
    [{ dateField: '' }, /dateField must be a literal, non-empty field name/],
    [{ input: { runDate: 'x' } }, /input already has a "runDate" field/],
    [{ executionNamePrefix: 'nightly orders' }, /executionNamePrefix "nightly orders" cannot make the names of its dates' executions, like "nightly orders-2000-01-01"/],
    [{ executionNamePrefix: 'a:b' }, /executionNamePrefix "a:b"/],
    [{ executionNamePrefix: '' }, /executionNamePrefix ""/],
    [{ executionNamePrefix: 'x'.repeat(59) }, /cannot make the names.*attempt-99/],
    [{ executionNamePrefix: 'x'.repeat(56), period: LogicalDatePeriod.HOUR }, /cannot make the names/],
    [{ executionNamePrefix: 'orders.nightly' }, /executionNamePrefix "orders.nightly"/],
  ])('GIVEN %j WHEN the schedule is added THEN synth fails naming it', (options, message) => {
    expect(() => synthPipeline({}, (_s, pipeline) => pipeline.addExecutionSchedule('Bad', { schedule: nightly(), ...options }))).toThrow(message);
  });

  test('GIVEN two schedules that would name executions alike WHEN the second is added THEN synth fails naming both', () => {
    expect(() => synthPipeline({}, (_s, pipeline) => {
      pipeline.addExecutionSchedule('Europe', { schedule: nightly(), input: { region: 'eu' } });
      pipeline.addExecutionSchedule('America', { schedule: nightly(), input: { region: 'us' } });
    })).toThrow(/schedules "Europe" and "America" both name their executions like "run-2026-11-30".*Give "America" an executionNamePrefix of its own/);
  });

  test('GIVEN two schedules with their own prefixes, or of days and of hours WHEN added THEN both are made', () => {
    const { template } = synthPipeline({}, (_s, pipeline) => {
      pipeline.addExecutionSchedule('Europe', { schedule: nightly(), executionNamePrefix: 'eu' });
      pipeline.addExecutionSchedule('America', { schedule: nightly(), executionNamePrefix: 'us' });
      pipeline.addExecutionSchedule('Hourly', { schedule: nightly(), executionNamePrefix: 'eu', period: LogicalDatePeriod.HOUR });
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
  });

  test('a prefix whose last attempt\'s name is exactly 80 characters is accepted', () => {
    // 58 + "-2000-01-01-attempt-99" (22) = 80
    expect(() => synthPipeline({}, (_s, pipeline) => pipeline.addExecutionSchedule('Long', { schedule: nightly(), executionNamePrefix: 'x'.repeat(58) }))).not.toThrow();
  });
});
