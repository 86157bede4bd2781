import { ExecutionListItem, ListExecutionsCommand, ListExecutionsCommandInput, SFNClient } from '@aws-sdk/client-sfn';
import { pagesInOrder, resetAwsMocks, sfnMock } from './aws-mocks';
import { STATE_MACHINE_ARN } from './fixtures';
import { sfn } from '../../src/lambda/aws/clients';
import { listRunningExecutions } from '../../src/lambda/aws/executions';

const execution = (n: number, startDate?: Date): ExecutionListItem => ({
  executionArn: `${STATE_MACHINE_ARN}:exec-${n}`, stateMachineArn: STATE_MACHINE_ARN, name: `exec-${n}`, status: 'RUNNING', startDate: startDate as Date,
});

beforeEach(() => resetAwsMocks());

describe('listRunningExecutions', () => {
  it('GIVEN running executions on three pages WHEN listed THEN every page is read with its nextToken, through the retrying client', async () => {
    // GIVEN
    const pages = pagesInOrder<ListExecutionsCommandInput>([
      { executions: [execution(1, new Date(1_000)), execution(2, new Date(2_000))], nextToken: 'p2' },
      { executions: [execution(3)], nextToken: 'p3' },
      { executions: [{ ...execution(4, new Date(4_000)), executionArn: undefined }, execution(5, new Date(5_000))] },
    ]);
    const clients: SFNClient[] = [];
    sfnMock.on(ListExecutionsCommand).callsFake((input: ListExecutionsCommandInput, getClient: () => SFNClient) => {
      clients.push(getClient());
      return pages.answer(input);
    });
    // WHEN
    const running = await listRunningExecutions(STATE_MACHINE_ARN);
    // THEN an execution without startDate counts as old (0); one without an ARN is left out
    expect(running).toEqual([
      { arn: `${STATE_MACHINE_ARN}:exec-1`, startedAt: 1_000 },
      { arn: `${STATE_MACHINE_ARN}:exec-2`, startedAt: 2_000 },
      { arn: `${STATE_MACHINE_ARN}:exec-3`, startedAt: 0 },
      { arn: `${STATE_MACHINE_ARN}:exec-5`, startedAt: 5_000 },
    ]);
    expect(pages.sent.map((i) => i.nextToken)).toEqual([undefined, 'p2', 'p3']);
    expect(pages.sent.every((i) => i.stateMachineArn === STATE_MACHINE_ARN && i.statusFilter === 'RUNNING' && i.maxResults === 1000)).toBe(true);
    expect(clients.every((c) => c === sfn)).toBe(true);
  });

  it('GIVEN the second page fails WHEN listed THEN the error is thrown and no further page is asked for', async () => {
    // GIVEN
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sfnMock.on(ListExecutionsCommand)
      .resolvesOnce({ executions: [execution(1, new Date(1_000))], nextToken: 'p2' })
      .rejectsOnce(throttled);
    // WHEN / THEN
    await expect(listRunningExecutions(STATE_MACHINE_ARN)).rejects.toBe(throttled);
    expect(sfnMock).toHaveReceivedCommandTimes(ListExecutionsCommand, 2);
  });
});
