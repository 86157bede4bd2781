import { parseArgs } from 'util';
import { CrawlerScript } from './local-aws/glue-crawlers';
import { JobRunState, JobScript } from './local-aws/glue-service';
import { WorkflowScript } from './local-aws/glue-workflows';
import { PipelineTemplate } from './pipeline-template';
import { StepKind } from '../src/shared/contract';

export const USAGE = `Runs a synthesized GlueOrchestratedPipeline locally, with no AWS account.

Usage: simulate [options]
  --template <file>      <cdk.out>/<Stack>.template.json holding one pipeline, synthesized by you
                         (default: the example, synthesized into examples/cdk.out first)
  --fail <step>          that step's Glue run ends FAILED (a crawler step: its crawl; a workflow step: one of its actions)
  --timeout <step>       that step's Glue run ends TIMEOUT
  --end <step>=<STATE>   that step's Glue run ends in STATE (SUCCEEDED, FAILED, STOPPED, TIMEOUT, ERROR, EXPIRED)
  --run-minutes <n>      how long each Glue run takes (default 4)
  --input <json>         execution input, a JSON object (default {}); quote it for the shell:
                         --input '{"runDate":"2026-11-24"}'
  --lose-events          every EventBridge event is lost: the schedule alone moves the pipeline
  --help

Exit code: 0 the execution succeeded; 2 it failed, timed out or was aborted; 1 the simulation
itself failed (a usage error, a template it cannot read, an error of the harness).`;

/** The exit codes: CI tells a failed pipeline from a broken simulation by them. */
export const ExitCode = {
  /** The execution SUCCEEDED. */
  SUCCEEDED: 0,
  /** The simulation itself failed: a usage error, an unreadable template, a harness error. */
  SIMULATION_FAILED: 1,
  /** The execution ended otherwise: FAILED, TIMED_OUT or ABORTED. */
  EXECUTION_FAILED: 2,
} as const;

/** A mistake in the command line: reported with the usage text, exit code 1. */
export class UsageError extends Error {}

export interface CliOptions {
  readonly help: boolean;
  /** The template to run; `undefined`: the example, synthesized first. */
  readonly template?: string;
  /** How steps were told to end, by step name; the others succeed. */
  readonly endings: ReadonlyMap<string, JobRunState>;
  /** Simulated seconds each Glue run (crawl, workflow run) takes. */
  readonly runSeconds: number;
  readonly input: Record<string, unknown>;
  readonly loseEvents: boolean;
}

const STATES: JobRunState[] = ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED'];

/** The command line's options; a `UsageError` for anything it cannot take. */
export function parseCliArgs(args: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'template': { type: 'string' },
        'fail': { type: 'string', multiple: true, default: [] },
        'timeout': { type: 'string', multiple: true, default: [] },
        'end': { type: 'string', multiple: true, default: [] },
        'run-minutes': { type: 'string', default: '4' },
        'input': { type: 'string', default: '{}' },
        'lose-events': { type: 'boolean', default: false },
        'help': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const endings = new Map<string, JobRunState>();
  values.fail.forEach((step) => endings.set(step, 'FAILED'));
  values.timeout.forEach((step) => endings.set(step, 'TIMEOUT'));
  for (const spec of values.end) {
    const [step, state] = spec.split('=');
    if (!STATES.includes(state as JobRunState)) {
      throw new UsageError(`--end ${spec}: the state must be one of ${STATES.join(', ')}`);
    }
    endings.set(step, state as JobRunState);
  }
  const minutes = Number(values['run-minutes']);
  if (!(minutes > 0)) {
    throw new UsageError(`--run-minutes ${values['run-minutes']} must be a positive number`);
  }
  return {
    help: values.help,
    template: values.template,
    endings,
    runSeconds: minutes * 60,
    input: parseInput(values.input),
    loseEvents: values['lose-events'],
  };
}

function parseInput(text: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new UsageError(`--input ${text} is not JSON: names and text need double quotes, and the shell needs the whole in single quotes, `
      + 'e.g. --input \'{"runDate":"2026-11-24"}\'');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new UsageError(`--input ${text} must be a JSON object, e.g. --input '{"runDate":"2026-11-24"}'`);
  }
  return input as Record<string, unknown>;
}

/** How each Glue job, crawler and workflow of the pipeline behaves, from how its step was told to end. */
export interface GlueScripts {
  readonly jobs: Record<string, JobScript>;
  readonly crawlers: Record<string, CrawlerScript>;
  readonly workflows: Record<string, WorkflowScript>;
}

/**
 * The scripts for the pipeline's Glue resources: every step succeeds after `runSeconds` unless
 * told otherwise. A `UsageError` for a step the pipeline does not have, or an ending its kind
 * cannot have.
 */
export function scriptsFor(
  pipeline: Pick<PipelineTemplate, 'stepNames' | 'stepParameters'>,
  options: Pick<CliOptions, 'endings' | 'runSeconds'>,
): GlueScripts {
  for (const [step, state] of options.endings) {
    const kind = pipeline.stepParameters[step]?.kind;
    if (kind === undefined) {
      throw new UsageError(`no step named "${step}"; the steps are ${pipeline.stepNames.join(', ')}`);
    }
    if (kind === 'glue-trigger') {
      throw new UsageError(`step "${step}" fires a trigger, which cannot be told how to end: a trigger step succeeds once it fires`);
    }
    if (kind !== 'glue-job' && state !== 'SUCCEEDED' && state !== 'FAILED') {
      throw new UsageError(`step "${step}" is a ${kind} step: it can only be told to end SUCCEEDED or FAILED`);
    }
  }
  const scripts: GlueScripts = { jobs: {}, crawlers: {}, workflows: {} };
  const seconds = options.runSeconds;
  for (const step of pipeline.stepNames) {
    const parameters = pipeline.stepParameters[step];
    const finalState = options.endings.get(step) ?? 'SUCCEEDED';
    const errorMessage = finalState === 'SUCCEEDED' ? undefined : `simulated ${finalState}: ${step} was told to end this way (--fail/--timeout/--end)`;
    const kind = (parameters.kind ?? 'glue-job') as StepKind;
    switch (kind) {
      case 'glue-job':
        scripts.jobs[String(parameters.jobName ?? step)] = {
          phases: [{ state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds }], finalState, errorMessage,
        };
        break;
      case 'glue-crawler':
        scripts.crawlers[String(parameters.crawlerName)] = { seconds, finalStatus: finalState === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', errorMessage };
        break;
      case 'glue-workflow':
        scripts.workflows[String(parameters.workflowName)] = { seconds, actions: 3, failedActions: finalState === 'SUCCEEDED' ? 0 : 1, errorMessage };
        break;
      case 'glue-trigger':
        // A trigger has no run to script: the step succeeds once it fires.
        break;
    }
  }
  return scripts;
}
