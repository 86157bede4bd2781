import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ActivityService } from '../../simulator/local-aws/activity-service';
import { AwsJsonEndpoint } from '../../simulator/local-aws/aws-json-endpoint';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { SimClock } from '../../simulator/sim-clock';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111111111111:stateMachine:p';
const executionArn = (n: number) => `arn:aws:states:us-east-1:111111111111:execution:p:e${n}`;

test('GIVEN executions started at different moments WHEN the real SFN client lists the RUNNING ones THEN each comes with its own startDate, newest first', async () => {
  // GIVEN two executions started 5 s apart on the simulation's clock, and one that ended
  const clock = new SimClock();
  const glue = new GlueService(clock, {});
  const executions = [
    { arn: executionArn(1), status: 'RUNNING', startDate: clock.epochSeconds(10) },
    { arn: executionArn(2), status: 'SUCCEEDED', startDate: clock.epochSeconds(12) },
    { arn: executionArn(3), status: 'RUNNING', startDate: clock.epochSeconds(15.5) },
  ];
  const endpoint = new AwsJsonEndpoint(new ActivityService(clock), glue, { arn: STATE_MACHINE_ARN, executions: () => executions });
  const client = new SFNClient({ endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    // WHEN
    const res = await client.send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN, statusFilter: 'RUNNING' }));
    // THEN
    expect(res.executions?.map((e) => [e.executionArn, e.startDate?.getTime()])).toEqual([
      [executionArn(3), clock.epochSeconds(15.5) * 1000],
      [executionArn(1), clock.epochSeconds(10) * 1000],
    ]);
  } finally {
    client.destroy();
    glue.dispose();
    await endpoint.stop();
  }
});
