/**
 * `npx projen bench [options]`: measures the runner against the 2018 sample's design on the
 * local harness and prints the tables the README shows. Not part of the test gate.
 *
 *   --latency-ms N     emulated latency of every AWS call (default 20)
 *   --event-delay S    seconds from a Glue run's end to its event invoking the runner (default 1)
 *   --executions N     executions run at once in (a) (default 6)
 *   --steps N          steps of the pipeline in (a) (default 5)
 *   --runs LIST        in-flight run counts for (c) (default 10,100,1000)
 *   --burst N          executions started at once in (e) (default 1000)
 *   --concurrency N    runner containers that may run at once in (e): the runner's Lambda concurrency (default 100)
 *   --only LIST        sections to run, of a,b,c,d,e (default all)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureBurst } from './burst';
import { measureCheckCycle } from './check-cycle';
import { measureIdleInvocation } from './idle-invocation';
import { bundleOldSampleRunner } from './old-sample/bundle';
import { measureRunnerBundle } from './runner-bundle';
import { formatTable } from './stats';
import { measureTransitionLatency, RunnerMode } from './transition-latency';

interface Options {
  latencyMs: number;
  eventDelay: number;
  executions: number;
  steps: number;
  runs: number[];
  burst: number;
  concurrency: number;
  only: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    latencyMs: 20,
    eventDelay: 1,
    executions: 6,
    steps: 5,
    runs: [10, 100, 1000],
    burst: 1000,
    concurrency: 100,
    only: ['a', 'b', 'c', 'd', 'e'],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) {
        throw new Error(`${flag} needs a non-negative number, got "${value}"`);
      }
      return n;
    };
    switch (flag) {
      case '--latency-ms': options.latencyMs = number(); break;
      case '--event-delay': options.eventDelay = number(); break;
      case '--executions': options.executions = number(); break;
      case '--steps': options.steps = number(); break;
      case '--runs': options.runs = (value ?? '').split(',').map(Number); break;
      case '--burst': options.burst = number(); break;
      case '--concurrency': options.concurrency = number(); break;
      case '--only': options.only = (value ?? '').split(','); break;
      default: throw new Error(`unknown option "${flag}"; see the header of bench/cli.ts`);
    }
  }
  return options;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const runnerBundle = path.join(__dirname, '..', 'assets', 'lambda', 'runner.lambda', 'index.js');
  const oldSampleDir = await bundleOldSampleRunner(fs.mkdtempSync(path.join(os.tmpdir(), 'gop-old-sample-')));
  console.log(`Benchmark: emulated API latency ${options.latencyMs} ms per call, node ${process.version}, ${os.cpus().length} CPUs\n`);

  if (options.only.includes('a')) {
    console.log(`(a) Step transition latency: run end -> next run started, simulated seconds; ${options.executions} executions of ${options.steps} steps at once, `
      + `runs of 60-240 s, schedule every 60 s, events delivered ${options.eventDelay} s after the change\n`);
    const rows = [];
    for (const mode of ['event', 'schedule', 'old-sample'] as RunnerMode[]) {
      const result = await measureTransitionLatency({
        mode,
        executions: options.executions,
        steps: options.steps,
        apiLatencyMs: options.latencyMs,
        eventDelaySeconds: options.eventDelay,
        oldSampleAssetDir: oldSampleDir,
      });
      const t = result.transitions;
      rows.push([mode, t.n, round(t.p50), round(t.p99), round(t.max), `${result.executionsSucceeded}/${options.executions}`, result.invocations]);
      console.log(`  ${mode}: p50 ${round(t.p50)} s, p99 ${round(t.p99)} s`);
    }
    console.log(`\n${formatTable(['mode', 'transitions', 'p50 s', 'p99 s', 'max s', 'executions succeeded', 'invocations'], rows)}\n`);
  }

  if (options.only.includes('b')) {
    console.log('(b) Idle invocation: nothing tracked, nothing running, a scheduled sweep; real milliseconds\n');
    const ours = await measureIdleInvocation(options.latencyMs);
    // The old design's idle invocation is one empty 60 s long poll, which the clock skips.
    const old = await measureIdleInvocation(options.latencyMs, 2, oldSampleDir);
    console.log(formatTable(['runner', 'cold ms', 'warm p50 ms', 'warm max ms', 'AWS calls'], [
      ['ours', round(ours.coldMs), round(ours.warm.p50), round(ours.warm.max), ours.callsPerInvocation],
      ['old-sample', round(old.coldMs), round(old.warm.p50), round(old.warm.max), old.callsPerInvocation],
    ]));
    console.log();
  }

  if (options.only.includes('c')) {
    console.log(`(c) One check cycle: API calls and wall time, ${options.latencyMs} ms per call\n`);
    const rows = [];
    for (const runs of options.runs) {
      for (const jobs of [1, 10]) {
        const r = await measureCheckCycle(runs, jobs, options.latencyMs);
        rows.push([runs, jobs, r.round.calls, round(r.round.ms, 0), r.quiet.calls, round(r.quiet.ms, 0),
          r.sequential.calls, round(r.sequential.ms, 0), `${round(r.sequential.ms / r.round.ms)}x`]);
        console.log(`  N=${runs} K=${jobs}: round ${r.round.calls} calls ${round(r.round.ms, 0)} ms, quiet ${r.quiet.calls} calls ${round(r.quiet.ms, 0)} ms, `
          + `sequential ${r.sequential.calls} calls ${round(r.sequential.ms, 0)} ms`);
      }
    }
    console.log(`\n${formatTable(['N runs', 'K jobs', 'round calls', 'round ms', 'quiet calls', 'quiet ms', 'sequential calls', 'sequential ms', 'sequential / round'], rows)}\n`);
  }

  if (options.only.includes('d')) {
    console.log('(d) Runner bundle: size and module initialisation (require in a fresh node, 20 samples)\n');
    const ours = measureRunnerBundle(runnerBundle);
    const old = measureRunnerBundle(path.join(oldSampleDir, 'index.js'));
    console.log(formatTable(['bundle', 'KB', 'init p50 ms', 'init p90 ms', 'init max ms'], [
      ['ours', round(ours.bytes / 1024), round(ours.initMs.p50), round(ours.initMs.p90), round(ours.initMs.max)],
      ['old-sample', round(old.bytes / 1024), round(old.initMs.p50), round(old.initMs.p90), round(old.initMs.max)],
    ]));
  }

  if (options.only.includes('e')) {
    console.log(`\n(e) A burst: ${options.burst} executions of ${options.steps} steps started at once, with events (throttled ones retried by Lambda), `
      + `runs of 60-240 s, runner concurrency ${options.concurrency}\n`);
    const r = await measureBurst({
      executions: options.burst,
      steps: options.steps,
      apiLatencyMs: options.latencyMs,
      eventDelaySeconds: options.eventDelay,
      concurrency: options.concurrency,
      onProgress: (line) => console.log(`  ${line}`),
    });
    const t = r.transitions;
    console.log(formatTable(['executions succeeded', 'transitions', 'p50 s', 'p99 s', 'max s', 'peak polls', 'peak invocations',
      'billed s', 'empty-poll s', 'empty-poll share'], [
      [`${r.executionsSucceeded}/${options.burst}`, t.n, round(t.p50), round(t.p99), round(t.max), r.peakPolls, r.peakInvocations,
        round(r.cost.billedSeconds, 0), round(r.cost.emptyPollSeconds, 0), `${round(100 * r.cost.emptyPollShare)}%`],
    ]));
    console.log(`\n  ${r.invocations} invocations ran, ${r.throttled} attempts throttled, ${r.dropped} events dropped; `
      + `${r.polls} polls, ${r.emptyPolls} empty; ${round(r.simulatedSeconds, 0)} simulated s in ${round(r.realSeconds, 0)} real s\n`);
    console.log(formatTable(['trigger', 'invocations', 'polls', 'empty polls', 'empty-poll s'],
      r.byTrigger.map((k) => [k.trigger, k.invocations, k.polls, k.emptyPolls, round(k.emptyPollSeconds, 0)])));
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
