import { execFile } from 'child_process';
import * as path from 'path';
import { GlueJob, PipelineStep } from '../../src';
import { jobOf, synthesizeToCloudAssembly } from '../e2e/e2e-fixture';

jest.setTimeout(180_000);

// `simulate` as a user meets it: the CLI in a process of its own, on a template synthesized as
// `cdk synth` would, read through its output and its exit code.
const ROOT = path.resolve(__dirname, '..', '..');
let template: string;

beforeAll(() => {
  template = synthesizeToCloudAssembly({
    steps: [
      PipelineStep.glueJob({ stepName: 'extract', job: GlueJob.fromName(jobOf('extract')), arguments: { '--day': '{{execution.runDate}}' } }),
      PipelineStep.glueJob({ stepName: 'transform', job: GlueJob.fromName(jobOf('transform')), arguments: { '--extract-run': '{{steps.extract.jobRunId}}' } }),
      PipelineStep.glueJob({ stepName: 'load', job: GlueJob.fromName(jobOf('load')) }),
    ],
    failureEmail: { sender: 'pipelines@example.com', recipients: ['data-team@example.com', 'oncall@example.com'] },
  });
});

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const simulate = (...args: string[]) => run(process.execPath, [path.join(ROOT, 'simulator', 'simulate.js'), '--run-minutes', '1', ...args]);
const INPUT = ['--input', '{"runDate":"2026-11-24"}'];

test('GIVEN the execution succeeds THEN exit code 0, each run shows its resolved arguments, and each change is stamped when it happened, the last with the summary\'s duration', async () => {
  const { code, stdout } = await simulate('--template', template, ...INPUT);

  expect(stdout).toMatch(/^Execution SUCCEEDED after/m);
  expect(code).toBe(0);
  expect(stdout).toMatch(/extract: .*run jr_\w+ {2}with --day=2026-11-24$/m);
  expect(stdout).toMatch(/transform: .*run jr_\w+ {2}with --extract-run=jr_\w+$/m);
  expect(stdout).not.toContain('--glue-orchestrated-pipeline-task');
  // the per-step summary, from the runner's metric lines
  expect(stdout).toMatch(/^Steps, from the runner's metrics:$/m);
  expect(stdout).toMatch(/^ {2}extract {4}SUCCEEDED {2}duration \d+ s, .*attempts 1, .*start latency \d+ s$/m);
  const stamps = [...stdout.matchAll(/^\[\s*(\d+:\d\d)\] /gm)].map((m) => m[1]);
  expect(stamps[stamps.length - 1]).toBe(/^Execution SUCCEEDED after (\d+:\d\d)/m.exec(stdout)![1]);
  // Each change is stamped when it happened, though time skips: a run is RUNNING 10 s after STARTING (give or take rounding).
  const secondsAt = (line: RegExp) => {
    const [m, s] = line.exec(stdout)![1].split(':').map(Number);
    return m * 60 + s;
  };
  const starting = secondsAt(/^\[\s*(\d+:\d\d)\] load: Glue STARTING/m);
  expect(Math.abs(secondsAt(/^\[\s*(\d+:\d\d)\] load: Glue RUNNING/m) - starting - 10)).toBeLessThanOrEqual(1);
});

test('GIVEN a step fails THEN exit code 2, with the error, its cause and the mail to every recipient', async () => {
  const { code, stdout } = await simulate('--template', template, ...INPUT, '--fail', 'transform');

  expect(stdout).toMatch(/^Execution FAILED after \d+:\d\d \(simulated\) with Glue\.JobFailed$/m);
  expect(stdout).toMatch(/^Cause: .*simulated FAILED: transform was told to end this way/m);
  expect(stdout).toMatch(/^To: data-team@example\.com, oncall@example\.com$/m);
  expect(stdout).toMatch(/^ {2}transform {2}FAILED \(Glue\.JobFailed\) {2}duration \d+ s/m);
  expect(code).toBe(2);
});

test('GIVEN the input lacks a field a step reads THEN exit code 2, and the cause names the field', async () => {
  const { code, stdout } = await simulate('--template', template);

  expect(stdout).toMatch(/^Execution FAILED after .* with States\.Runtime$/m);
  expect(stdout).toMatch(/^Cause: .*\$\$\.Execution\.Input\.runDate/m);
  expect(stdout).toContain('The execution input has no "runDate"');
  expect(code).toBe(2);
});

test.each([
  ['a template that is not there', ['--template', 'no/such/App.template.json'], /no template at no\/such\/App\.template\.json/],
  ['a usage error', ['--speed', '2'], /Unknown option '--speed'/],
])('GIVEN %s THEN exit code 1, the simulation\'s own failure', async (_, args, message) => {
  const { code, stderr } = await simulate(...args);

  expect(stderr).toMatch(message);
  expect(code).toBe(1);
});

test('GIVEN npx projen simulate with --template and a quoted --input THEN the input arrives as typed, and the example is not rebuilt', async () => {
  const { code, stdout, stderr } = await run('npx', ['projen', 'simulate', '--template', template, '--run-minutes', '1', ...INPUT]);

  expect(stdout).toMatch(/extract: .*with --day=2026-11-24$/m);
  expect(stdout).toMatch(/^Execution SUCCEEDED after/m);
  expect(code).toBe(0);
  expect(stderr).not.toMatch(/synth:example|bundle:lambda/);
});
