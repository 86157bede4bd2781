import {
  DescribeExecutionCommand, DescribeExecutionOutput, GetExecutionHistoryCommand, HistoryEvent, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExitCode, main } from '../../src/cli/glue-pipeline';
import { stepsEntered } from '../../src/cli/rerun/reached-steps';

/**
 * `glue-pipeline rerun` against a Step Functions of a few executions held in a map: what it reads
 * before it starts (the earlier execution, its history, the rerun's name) and what it refuses.
 * The simulation runs the command end to end in test/e2e/rerun-command.test.ts.
 */
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:Orders';
const DAY = 'run-2026-11-30';
const DAY_INPUT = '{"runDate":"2026-11-30"}';
const RERUN_INPUT = JSON.stringify({ runDate: '2026-11-30', rerunFrom: { step: 'load', execution: `${EXECUTION}:${DAY}` } });

interface FakeExecution {
  readonly status: string;
  /** Left out: DescribeExecution answers without it, as for a caller that may not see its data. */
  readonly input?: string;
  readonly entered?: readonly string[];
}

/**
 * A client whose calls are answered from `executions` (by name) with Step Functions' rules:
 * StartExecution of a name that runs with the same input answers with it (idempotent), of any
 * other taken name ExecutionAlreadyExists. The history pages hold one step each.
 */
function fakeSfn(executions: Map<string, FakeExecution>) {
  const calls: string[] = [];
  const client = new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const fail = (name: string) => Object.assign(new Error(name), { name });
  const nameOf = (arn: string) => arn.slice(`${EXECUTION}:`.length);
  client.send = (async (command: unknown) => {
    if (command instanceof DescribeExecutionCommand) {
      calls.push('DescribeExecution');
      const e = executions.get(nameOf(command.input.executionArn!));
      if (!e) {
        throw fail('ExecutionDoesNotExist');
      }
      const output: DescribeExecutionOutput = {
        executionArn: command.input.executionArn,
        stateMachineArn: STATE_MACHINE,
        name: nameOf(command.input.executionArn!),
        status: e.status as DescribeExecutionOutput['status'],
        startDate: new Date(0),
        ...(e.input === undefined ? { inputDetails: { included: false } } : { input: e.input, inputDetails: { included: true } }),
      };
      return output;
    }
    if (command instanceof GetExecutionHistoryCommand) {
      calls.push('GetExecutionHistory');
      expect(command.input.includeExecutionData).toBe(false);
      const entered = executions.get(nameOf(command.input.executionArn!))!.entered ?? [];
      const i = command.input.nextToken === undefined ? 0 : Number(command.input.nextToken);
      const events: HistoryEvent[] = i < entered.length
        ? [{ id: i + 1, timestamp: new Date(0), type: 'TaskStateEntered', stateEnteredEventDetails: { name: entered[i] } }]
        : [];
      return { events, ...(i + 1 < entered.length && { nextToken: String(i + 1) }) };
    }
    if (command instanceof StartExecutionCommand) {
      calls.push('StartExecution');
      const { name, input } = command.input;
      const e = executions.get(name!);
      if (e && !(e.status === 'RUNNING' && e.input === input)) {
        throw fail('ExecutionAlreadyExists');
      }
      executions.set(name!, e ?? { status: 'RUNNING', input });
      return { executionArn: `${EXECUTION}:${name}`, startDate: new Date(0) };
    }
    throw new Error(`unexpected call ${String(command)}`);
  }) as SFNClient['send'];
  return { client, calls };
}

async function rerunCli(executions: Map<string, FakeExecution>, ...args: string[]) {
  const { client, calls } = fakeSfn(executions);
  const text: string[] = [];
  const out = { write: (t: string) => void text.push(t) };
  const code = await main(['rerun', '--state-machine-arn', STATE_MACHINE, ...args], {
    sfnClient: () => client, out, err: out, sleep: async () => {}, interrupt: new AbortController().signal,
  });
  return { code, output: text.join(''), calls };
}

/** The day's execution, ended, having reached every step; its input `null`: left out. */
const dayEnded = (input: string | null = DAY_INPUT): [string, FakeExecution] =>
  [DAY, { status: 'FAILED', input: input ?? undefined, entered: ['extract', 'transform', 'load'] }];

test('GIVEN the earlier input is left out (inputDetails.included false) WHEN rerun THEN refused, exit 2, nothing started', async () => {
  const cli = await rerunCli(new Map([dayEnded(null)]), '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain(`the earlier execution's input could not be read (DescribeExecution of ${DAY} has no input: inputDetails.included is false`);
  expect(cli.output).toContain('give the new execution\'s input with --input');
  expect(cli.output).toContain('Nothing was started.');
  expect(cli.calls).not.toContain('StartExecution');
});

test('GIVEN the earlier input is left out WHEN rerun --input THEN started with that input', async () => {
  const executions = new Map([dayEnded(null)]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY, '--input', DAY_INPUT);
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(executions.get(`${DAY}-from-load`)?.input).toBe(RERUN_INPUT);
});

test('GIVEN the earlier input is {} WHEN rerun THEN started with rerunFrom only', async () => {
  const executions = new Map([dayEnded('{}')]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(JSON.parse(executions.get(`${DAY}-from-load`)!.input!)).toEqual({ rerunFrom: { step: 'load', execution: `${EXECUTION}:${DAY}` } });
});

test('GIVEN the earlier execution failed at transform WHEN rerun --from load THEN refused, naming the steps it reached, exit 2, nothing started', async () => {
  const cli = await rerunCli(new Map([[DAY, { status: 'FAILED', input: DAY_INPUT, entered: ['extract', 'transform'] }]]), '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain(`glue-pipeline rerun: ${DAY} never reached step load: a re-run starts from a step the earlier execution reached; `
    + 'it reached: extract, transform\nNothing was started.\n');
  expect(cli.calls).not.toContain('StartExecution');
});

test('GIVEN the earlier execution reached no step WHEN rerun THEN refused, exit 2', async () => {
  const cli = await rerunCli(new Map([[DAY, { status: 'FAILED', input: DAY_INPUT }]]), '--from', 'extract', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain('it reached: no step\n');
});

test('GIVEN the step is on the last of several history pages WHEN rerun THEN started', async () => {
  const executions = new Map([dayEnded()]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(cli.calls.filter((c) => c === 'GetExecutionHistory')).toHaveLength(3);
  expect(cli.output).toContain(`from step load: started ${DAY}-from-load\n`);
});

test('GIVEN the same rerun still runs WHEN it is run again THEN "already running", StartExecution not called', async () => {
  const executions = new Map([dayEnded(), [`${DAY}-from-load`, { status: 'RUNNING', input: RERUN_INPUT }]]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(cli.output).toContain(`Rerun of ${DAY} (FAILED) from step load: already running: ${DAY}-from-load\n  ${EXECUTION}:${DAY}-from-load\n`);
  expect(cli.output).not.toContain('started');
  expect(cli.calls).not.toContain('StartExecution');
});

test('GIVEN the same rerun still runs under --name WHEN it is run again with that --name THEN "already running"', async () => {
  const executions = new Map([dayEnded(), ['fix-load', { status: 'RUNNING', input: RERUN_INPUT }]]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY, '--name', 'fix-load');
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(cli.output).toContain('already running: fix-load\n');
  expect(cli.calls).not.toContain('StartExecution');
});

test('GIVEN the rerun\'s name runs with another input, and -2 ended WHEN rerun THEN started as -3', async () => {
  const executions = new Map([dayEnded(),
    [`${DAY}-from-load`, { status: 'RUNNING', input: '{"runDate":"2026-12-01"}' }],
    [`${DAY}-from-load-2`, { status: 'SUCCEEDED', input: RERUN_INPUT }]]);
  const cli = await rerunCli(executions, '--from', 'load', '--execution', DAY);
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(cli.output).toContain(`${DAY}-from-load exists already (RUNNING): trying the next name\n${DAY}-from-load-2 exists already (SUCCEEDED): trying the next name\n`);
  expect(cli.output).toContain(`started ${DAY}-from-load-3\n`);
  expect(cli.calls.filter((c) => c === 'StartExecution')).toHaveLength(1);
});

test('stepsEntered: the task states entered, each once, in order', () => {
  expect(stepsEntered([
    { type: 'ExecutionStarted' },
    { type: 'ChoiceStateEntered', stateEnteredEventDetails: { name: 'Rerun from a step?' } },
    { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'extract' } },
    { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'transform' } },
    { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'extract' } },
    { type: 'TaskStateEntered' },
  ])).toEqual(['extract', 'transform']);
});
