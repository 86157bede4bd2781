import { parseCliArgs, scriptsFor, UsageError } from '../../simulator/cli-options';

describe('parseCliArgs', () => {
  test('GIVEN no options THEN the example, every step succeeding after 4 minutes, empty input', () => {
    expect(parseCliArgs([])).toEqual({ help: false, template: undefined, endings: new Map(), runSeconds: 240, input: {}, loseEvents: false });
  });

  test.each([
    ['--input as the shell passes a quoted JSON object', ['--input', '{"runDate":"2026-11-24"}'], { input: { runDate: '2026-11-24' } }],
    ['--fail, --timeout and --end, the last word per step winning', ['--fail', 'a', '--timeout', 'b', '--end', 'a=STOPPED'],
      { endings: new Map([['a', 'STOPPED'], ['b', 'TIMEOUT']]) }],
    ['--template, --run-minutes and --lose-events', ['--template', 'cdk.out/App.template.json', '--run-minutes', '0.5', '--lose-events'],
      { template: 'cdk.out/App.template.json', runSeconds: 30, loseEvents: true }],
  ])('%s', (_, args, expected) => {
    expect(parseCliArgs(args)).toMatchObject(expected);
  });

  test.each([
    // What a shell (or projen's, before the task passed arguments as an argv) leaves of unquoted JSON.
    ['JSON without its quotes', ['--input', '{runDate:2026-11-24}'], /--input \{runDate:2026-11-24\} is not JSON: .*--input '\{"runDate":"2026-11-24"\}'/],
    ['JSON that is not an object', ['--input', '[1]'], /--input \[1\] must be a JSON object/],
    ['--speed, gone with the compressed clock', ['--speed', '2'], /Unknown option '--speed'/],
    ['an unknown state', ['--end', 'load=DONE'], /--end load=DONE: the state must be one of SUCCEEDED, FAILED/],
    ['a run of no minutes', ['--run-minutes', '0'], /--run-minutes 0 must be a positive number/],
    ['a stray word', ['load'], /Unexpected argument 'load'/],
  ])('%s is a usage error', (_, args, message) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError);
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});

describe('scriptsFor', () => {
  const pipeline = {
    stepNames: ['extract', 'crawl', 'notify', 'report'],
    stepParameters: {
      extract: { kind: 'glue-job', jobName: 'extract-orders' },
      crawl: { kind: 'glue-crawler', crawlerName: 'raw-orders-crawler' },
      notify: { kind: 'glue-trigger', triggerName: 'notify-downstream' },
      report: { kind: 'glue-workflow', workflowName: 'orders-reporting' },
    },
  };

  test('GIVEN a step of each kind told to fail THEN its Glue resource, by name, is scripted to fail', () => {
    const scripts = scriptsFor(pipeline, { endings: new Map([['extract', 'TIMEOUT'], ['crawl', 'FAILED'], ['report', 'FAILED']]), runSeconds: 60 });
    expect(scripts.jobs['extract-orders']).toMatchObject({ finalState: 'TIMEOUT', phases: [{ state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds: 60 }] });
    expect(scripts.crawlers['raw-orders-crawler']).toMatchObject({ finalStatus: 'FAILED', seconds: 60 });
    expect(scripts.workflows['orders-reporting']).toMatchObject({ failedActions: 1, seconds: 60 });
  });

  test.each([
    ['a step the pipeline lacks', 'load', 'FAILED', /no step named "load"; the steps are extract, crawl, notify, report/],
    ['a trigger step', 'notify', 'FAILED', /fires a trigger, which cannot be told how to end/],
    ['a crawler step told to time out', 'crawl', 'TIMEOUT', /is a glue-crawler step: it can only be told to end SUCCEEDED or FAILED/],
  ] as const)('GIVEN %s THEN a usage error', (_, step, state, message) => {
    expect(() => scriptsFor(pipeline, { endings: new Map([[step, state]]), runSeconds: 60 })).toThrow(message);
  });
});
