import { spawnSync } from 'child_process';
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ExitCode, parseCliArgs, scriptsFor, USAGE, UsageError } from './cli-options';
import { eventLines, exitCodeOf, mailText, outcomeLines, stepMetricLines } from './cli-summary';
import { ExecutionReport } from './execution';
import { SimRun } from './local-aws/glue-service';
import { readPipelineTemplate } from './pipeline-template';
import { Cancellable } from './sim-clock';
import { Simulation } from './simulation';
import { ChangeLog, clockText, executionTime, phaseBoundaries, renderSteps, RunTracker, StepView } from './step-progress';

/** The repository's root: the example and its synthesis live there, wherever the CLI is started from. */
const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_TEMPLATE = path.join(ROOT, 'examples', 'cdk.out', 'OrdersPipeline.template.json');

async function main(): Promise<number> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return ExitCode.SUCCEEDED;
  }
  const templateFile = options.template ?? synthesizeExample();
  const synthesized = performance.now();
  if (!fs.existsSync(templateFile)) {
    throw new UsageError(`no template at ${templateFile}; synthesize your app first (cdk synth)`);
  }
  const scripts = scriptsFor(readPipelineTemplate(templateFile), options);

  const sim = await Simulation.start({
    templateFile,
    ...scripts,
    events: options.loseEvents ? { deliver: () => false } : undefined,
  });
  const tracker = new RunTracker(sim.glue, sim.activity.tasks);
  const view = new ProgressView();
  console.log(`Simulating ${options.template ?? path.relative(process.cwd(), templateFile)} (${sim.pipeline.stepNames.length} steps, `
    + `runner every ${clockText(sim.pipeline.checkIntervalSeconds)}, ${options.loseEvents ? 'every event lost' : 'and on events'})\n`);
  let report: ExecutionReport | undefined;
  const draw = () => report && view.draw(tracker.steps(sim.pipeline.stepNames, report, sim.clock.now()), executionTime(report, sim.clock.now()));
  const drawing = drawOnChanges(sim, draw);
  try {
    report = await sim.run({
      input: options.input,
      onChange: (r) => {
        report = r;
        drawing.changed();
      },
    });
    draw();
    view.end(report, sim.clock.now());
    await summarize(sim, report);
    return exitCodeOf(report.status);
  } finally {
    drawing.stop();
    await sim.stop();
    console.log(`\nWall time: ${seconds(performance.now() - synthesized)} after synthesis `
      + `(${seconds(process.uptime() * 1000)} since the command started); simulated time skipped ${clockText(sim.clock.stats.skippedSeconds)} in ${sim.clock.stats.jumps} jumps`);
  }
}

/** Milliseconds as seconds, one decimal. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Calls `draw` soon after every change the simulation announces (a task scheduled, handed out,
 * heartbeated or closed; a Glue run started, stopped or ended; a crawl or workflow run ended; and
 * `changed()`, for the execution's states), at each phase boundary of a Glue run, and every
 * 200 ms of real time while something works. Time skips while everything waits, so a real-time ticker alone would
 * stamp a change with whatever moment the clock had jumped to since.
 */
function drawOnChanges(sim: Simulation, draw: () => void): { changed: () => void; stop: () => void } {
  let queued = false;
  const drawSoon = () => {
    if (!queued) {
      queued = true;
      // After the change is complete, and before time can skip on (the clock waits two turns).
      setImmediate(() => {
        queued = false;
        draw();
      });
    }
  };
  const phaseTimers: Cancellable[] = [];
  const seenRuns = new Set<string>();
  const onRun = (run: SimRun) => {
    if (!seenRuns.has(run.id)) {
      seenRuns.add(run.id);
      phaseTimers.push(...phaseBoundaries(run).map((at) => sim.clock.at(at, drawSoon)));
    }
    drawSoon();
  };
  const sources: Array<[EventEmitter, string, (run: SimRun) => void]> = [
    [sim.activity, 'task', drawSoon],
    [sim.glue, 'run', onRun],
    [sim.glue, 'ended', drawSoon],
    [sim.glue, 'crawler-ended', drawSoon],
    [sim.glue, 'workflow-ended', drawSoon],
  ];
  sources.forEach(([emitter, event, listener]) => emitter.on(event, listener));
  const ticker = setInterval(draw, 200);
  return {
    changed: drawSoon,
    stop: () => {
      clearInterval(ticker);
      phaseTimers.forEach((t) => t.cancel());
      sources.forEach(([emitter, event, listener]) => emitter.off(event, listener));
    },
  };
}

/**
 * The example's template, synthesized now (the runner bundle, then the app) so that it matches
 * the sources. Only the example: a template given with --template is run as it is.
 */
function synthesizeExample(): string {
  const synth = spawnSync('npx', ['projen', 'synth:example'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (synth.status !== 0) {
    throw new Error(`synthesizing the example failed (npx projen synth:example exited with ${synth.status ?? synth.signal})`);
  }
  return EXAMPLE_TEMPLATE;
}

async function summarize(sim: Simulation, report: ExecutionReport): Promise<void> {
  console.log(`\n${outcomeLines(report, clockText(executionTime(report, sim.clock.now()))).join('\n')}`);
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
  const stepLines = stepMetricLines(sim.metrics.map((m) => m.line));
  if (stepLines.length > 0) {
    console.log(`\n${stepLines.join('\n')}`);
  }
  const events = eventLines(sim.pipelineEvents, report.startedAt);
  if (events.length > 0) {
    console.log(`\n${events.join('\n')}`);
  }
  for (const mail of await sim.emails()) {
    console.log(`\nFailure mail sent through SES\n${mailText(mail)}`);
  }
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

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof UsageError ? `simulate: ${err.message}\n\n${USAGE}` : err);
  process.exit(ExitCode.SIMULATION_FAILED);
});
