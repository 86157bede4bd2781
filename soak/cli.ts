/**
 * `npx projen soak [options]`: a seeded fault soak. Random pipelines (sequences and graphs of
 * every step kind, 1 to 12 steps) run on the local simulation with the bundled runner, under a
 * random schedule of faults; after each pipeline's executions the invariants are checked.
 *
 *   --seed S         the seed (default: a random one, printed)
 *   --executions N   executions to run (default 200)
 *   --minutes M      start no new pipeline after M minutes of wall time
 *   --pipeline P     run only pipeline P of the seed (as the full run would), to replay a failure
 *   --runner DIR     run this runner asset (a directory with an index.js) instead of the bundled one
 *
 * Exit code: 0 when every invariant held, 1 when one broke (the seed and the replay command are
 * printed), 2 on a usage or harness error.
 */
import { randomInt } from 'crypto';
import { drawFaults, PipelineFaults } from './fault-plan';
import { INVARIANTS } from './invariants';
import { drawPipeline, PipelinePlan } from './pipeline-plan';
import { soakPipeline } from './soak-pipeline';
import { brokenLines, formatDuration, SoakTally } from './summary';

interface Options {
  seed: number;
  executions: number;
  minutes?: number;
  pipeline?: number;
  runner?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { seed: randomInt(1, 2 ** 31), executions: 200 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const whole = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) {
        throw new UsageError(`${flag} needs a whole number, got "${value}"`);
      }
      return n;
    };
    switch (flag) {
      case '--seed': options.seed = whole(); break;
      case '--executions': options.executions = whole(); break;
      case '--minutes': options.minutes = Number(value); break;
      case '--pipeline': options.pipeline = whole(); break;
      case '--runner':
        if (!value) {
          throw new UsageError('--runner needs a directory');
        }
        options.runner = value;
        break;
      default: throw new UsageError(`unknown option "${flag}"; see the header of soak/cli.ts`);
    }
  }
  if (options.minutes !== undefined && !(options.minutes > 0)) {
    throw new UsageError(`--minutes needs a positive number, got "${options.minutes}"`);
  }
  return options;
}

class UsageError extends Error {}

/** The pipelines of the soak, in order, each with its executions cut to what `executions` leaves. */
function* pipelinesOf(seed: number, executions: number): Generator<{ plan: PipelinePlan; faults: PipelineFaults }> {
  let left = executions;
  for (let index = 0; left > 0; index++) {
    const plan = drawPipeline(seed, index);
    const faults = drawFaults(seed, plan);
    const kept = { ...faults, executions: faults.executions.slice(0, left) };
    left -= kept.executions.length;
    yield { plan, faults: kept };
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const deadline = options.minutes === undefined ? Infinity : started + options.minutes * 60_000;
  const scope = options.pipeline === undefined ? `${options.executions} executions` : `pipeline ${options.pipeline} of ${options.executions} executions`;
  console.log(`soak seed=${options.seed}: ${scope}${options.minutes ? `, at most ${options.minutes} min` : ''}${options.runner ? `, runner ${options.runner}` : ''}`);
  const tally = new SoakTally();
  let stoppedEarly = false;
  // One pipeline at a time: the SES stand-in keeps one mail store per process.
  for (const { plan, faults } of pipelinesOf(options.seed, options.executions)) {
    if (options.pipeline !== undefined && plan.index !== options.pipeline) {
      continue;
    }
    if (Date.now() >= deadline) {
      stoppedEarly = true;
      break;
    }
    const outcome = await soakPipeline(plan, faults, { runnerAssetDir: options.runner });
    tally.add(plan, outcome);
    brokenLines(options.seed, plan, outcome.results).forEach((line) => console.log(line));
    if (tally.pipelines % 10 === 0) {
      console.log(`  ... ${tally.executions} executions, ${tally.pipelines} pipelines, ${formatDuration(Date.now() - started)}`);
    }
  }
  console.log('');
  tally.lines(Date.now() - started).forEach((line) => console.log(line));
  if (stoppedEarly) {
    console.log(`stopped after ${options.minutes} min: ${tally.executions} of ${options.executions} executions ran`);
  }
  const replay = `npx projen soak --seed ${options.seed} --executions ${stoppedEarly ? tally.executions : options.executions}`
    + `${options.runner ? ` --runner ${options.runner}` : ''}`;
  if (tally.broken.length > 0) {
    const broken = [...tally.checked.keys()].reduce((n, k) => n + (tally.checked.get(k)! - (tally.held.get(k) ?? 0)), 0);
    console.log(`\nseed=${options.seed}: ${broken} invariant checks broke, in pipelines ${[...tally.broken].sort((a, b) => a - b).join(', ')}`);
    console.log(`replay:       ${replay}`);
    console.log(`one pipeline: ${replay} --pipeline ${Math.min(...tally.broken)}`);
    return 1;
  }
  console.log(`\nseed=${options.seed}: every invariant held (${Object.keys(INVARIANTS).length} invariants). Replay: ${replay}`);
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof UsageError ? err.message : err);
  process.exit(2);
});
