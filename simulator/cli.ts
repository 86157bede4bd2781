import * as fs from 'fs';
import { parseArgs } from 'util';
import { ExecutionReport } from './execution';
import { CrawlerScript } from './local-aws/glue-crawlers';
import { JobRunState, JobScript } from './local-aws/glue-service';
import { WorkflowScript } from './local-aws/glue-workflows';
import { readPipelineTemplate } from './pipeline-template';
import { Simulation } from './simulation';
import { ChangeLog, clockText, executionTime, renderSteps, RunTracker, StepView } from './step-progress';

const USAGE = `Runs a synthesized GlueOrchestratedPipeline locally, with no AWS account.

Usage: simulate [options]
  --template <file>      <cdk.out>/<Stack>.template.json holding one pipeline
                         (default: examples/cdk.out/OrdersPipeline.template.json)
  --fail <step>          that step's Glue run ends FAILED (a crawler step: its crawl; a workflow step: one of its actions)
  --timeout <step>       that step's Glue run ends TIMEOUT
  --end <step>=<STATE>   that step's Glue run ends in STATE (SUCCEEDED, FAILED, STOPPED, TIMEOUT, ERROR, EXPIRED)
  --run-minutes <n>      how long each Glue run takes (default 4)
  --input <json>         execution input (default {})
  --lose-events          every EventBridge event is lost: the schedule alone moves the pipeline
  --help

Exit code: 0 when the execution SUCCEEDED, 2 when it ended otherwise, 1 on a usage or harness error.`;

const STATES: JobRunState[] = ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'template': { type: 'string', default: 'examples/cdk.out/OrdersPipeline.template.json' },
      'fail': { type: 'string', multiple: true, default: [] },
      'timeout': { type: 'string', multiple: true, default: [] },
      'end': { type: 'string', multiple: true, default: [] },
      'run-minutes': { type: 'string', default: '4' },
      'input': { type: 'string', default: '{}' },
      'lose-events': { type: 'boolean', default: false },
      'help': { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!fs.existsSync(values.template!)) {
    throw new UsageError(`no template at ${values.template}; synthesize your app first (cdk synth, or npx projen synth:example)`);
  }

  const endings = new Map<string, JobRunState>();
  values.fail!.forEach((step) => endings.set(step, 'FAILED'));
  values.timeout!.forEach((step) => endings.set(step, 'TIMEOUT'));
  for (const spec of values.end!) {
    const [step, state] = spec.split('=');
    if (!STATES.includes(state as JobRunState)) {
      throw new UsageError(`--end ${spec}: the state must be one of ${STATES.join(', ')}`);
    }
    endings.set(step, state as JobRunState);
  }
  const runSeconds = positive('--run-minutes', values['run-minutes']!) * 60;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(values.input!);
  } catch {
    throw new UsageError(`--input ${values.input} is not JSON`);
  }

  const probe = readPipelineTemplate(values.template!);
  for (const [step, state] of endings) {
    const kind = probe.stepParameters[step]?.kind;
    if (kind === undefined) {
      throw new UsageError(`no step named "${step}"; the steps are ${probe.stepNames.join(', ')}`);
    }
    if (kind === 'glue-trigger') {
      throw new UsageError(`step "${step}" fires a trigger, which cannot be told how to end: a trigger step succeeds once it fires`);
    }
    if (kind !== 'glue-job' && state !== 'SUCCEEDED' && state !== 'FAILED') {
      throw new UsageError(`step "${step}" is a ${kind} step: it can only be told to end SUCCEEDED or FAILED`);
    }
  }
  const jobs: Record<string, JobScript> = {};
  const crawlers: Record<string, CrawlerScript> = {};
  const workflows: Record<string, WorkflowScript> = {};
  for (const step of probe.stepNames) {
    const parameters = probe.stepParameters[step];
    const finalState = endings.get(step) ?? 'SUCCEEDED';
    const errorMessage = finalState === 'SUCCEEDED' ? undefined : `simulated ${finalState}: ${step} was told to end this way (--fail/--timeout/--end)`;
    switch (parameters.kind ?? 'glue-job') {
      case 'glue-job':
        jobs[String(parameters.jobName ?? step)] = {
          phases: [{ state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds: runSeconds }], finalState, errorMessage,
        };
        break;
      case 'glue-crawler':
        crawlers[String(parameters.crawlerName)] = { seconds: runSeconds, finalStatus: finalState === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', errorMessage };
        break;
      case 'glue-workflow':
        workflows[String(parameters.workflowName)] = { seconds: runSeconds, actions: 3, failedActions: finalState === 'SUCCEEDED' ? 0 : 1, errorMessage };
        break;
    }
  }

  const sim = await Simulation.start({
    templateFile: values.template!,
    jobs,
    crawlers,
    workflows,
    events: values['lose-events'] ? { deliver: () => false } : undefined,
  });
  const tracker = new RunTracker(sim.glue, sim.activity.tasks);
  const view = new ProgressView();
  console.log(`Simulating ${values.template} (${sim.pipeline.stepNames.length} steps, runner every ${clockText(sim.pipeline.checkIntervalSeconds)}`
    + `, ${values['lose-events'] ? 'every event lost' : 'and on events'})\n`);
  let report: ExecutionReport | undefined;
  const draw = () => report && view.draw(tracker.steps(sim.pipeline.stepNames, report, sim.clock.now()), executionTime(report, sim.clock.now()));
  const ticker = setInterval(draw, 200);
  try {
    report = await sim.run({ input, onChange: (r) => (report = r) });
    draw();
    view.end(report, sim.clock.now());
    return await summarize(sim, report);
  } finally {
    clearInterval(ticker);
    await sim.stop();
  }
}

async function summarize(sim: Simulation, report: ExecutionReport): Promise<number> {
  const took = clockText(executionTime(report, sim.clock.now()));
  console.log(`\nExecution ${report.status} after ${took} (simulated)${report.error ? ` with ${report.error}` : ''}`);
  const invocations = sim.runners.invocations.length;
  const sweeps = sim.runners.invocations.filter((i) => (i.result as { trigger?: string } | undefined)?.trigger === 'sweep').length;
  const others = [
    [sim.glue.crawlers.crawls.filter((c) => !c.external).length, 'crawls'],
    [sim.glue.triggers.firings.length, 'trigger firings'],
    [sim.glue.workflows.workflowRuns.length, 'workflow runs'],
  ].filter(([n]) => n as number > 0).map(([n, what]) => `; ${what}: ${n}`).join('');
  console.log(`Glue runs started: ${sim.glue.runs.length}${others}; runner invocations: ${invocations} (${sweeps} on the schedule, `
    + `${invocations - sweeps} on events); tracked records left: ${await sim.trackedRecords()}`);
  if (report.status === 'SUCCEEDED') {
    console.log(`Output: ${JSON.stringify(report.output)}`);
  }
  const mails = await sim.emails();
  for (const mail of mails) {
    console.log(`\nFailure mail sent through SES\nFrom: ${mail.from}\nTo: ${mail.destination.to.join(', ')}\nSubject: ${mail.subject}\n\n${mail.body.text}`);
  }
  return report.status === 'SUCCEEDED' ? 0 : 2;
}

/**
 * On a terminal, redraws the step table in place. Elsewhere (CI logs), prints one line each
 * time a step changes status, gets a Glue run or takes up another attempt, and a last line
 * when the execution ends.
 */
class ProgressView {
  private lines = 0;
  private readonly tty = Boolean(process.stdout.isTTY);
  private readonly log = new ChangeLog();

  /** `at`: the execution's time (`executionTime`). */
  public draw(steps: StepView[], at: number) {
    if (this.tty) {
      const table = renderSteps(steps);
      if (this.lines > 0) {
        process.stdout.write(`\x1b[${this.lines}F\x1b[J`);
      }
      process.stdout.write(`${table.join('\n')}\n`);
      this.lines = table.length;
      return;
    }
    this.log.lines(steps, at).forEach((line) => console.log(line));
  }

  public end(report: ExecutionReport, now: number) {
    if (!this.tty) {
      console.log(this.log.end(report, now));
    }
  }
}

class UsageError extends Error {}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0)) {
    throw new UsageError(`${flag} ${text} must be a positive number`);
  }
  return n;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof UsageError ? `simulate: ${err.message}\n\n${USAGE}` : err);
  process.exit(1);
});
