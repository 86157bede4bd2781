import * as fs from 'fs';
import * as path from 'path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { RunnerEnv } from '../src/shared/contract';

/** Account and region the simulation pretends to run in. */
export const SIM_ACCOUNT = '123456789012';
export const SIM_REGION = 'us-east-1';

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

/** Everything the simulation takes from a synthesized template: nothing is re-derived. */
export interface PipelineTemplate {
  /** The state machine definition, with references resolved to local names. */
  readonly definition: { StartAt: string; States: Record<string, any>; TimeoutSeconds?: number };
  readonly activityArn: string;
  /** The runner function's environment, resolved. */
  readonly runnerEnv: Record<string, string>;
  /** Directory of the runner asset (the bundled `index.js`) in the cloud assembly. */
  readonly runnerAssetDir: string;
  readonly runnerTimeoutSeconds: number;
  readonly checkIntervalSeconds: number;
  readonly table: CreateTableCommandInput;
  /** Step (state) names in definition order. */
  readonly stepNames: string[];
  /** Each step's state Parameters (its static task input), by step name, Parallel branches included. */
  readonly stepParameters: Record<string, Record<string, any>>;
  /** ARN of the state machine, as the runner's environment names it. */
  readonly stateMachineArn: string;
  /** Event patterns of the EventBridge rules that invoke the runner on events (not the schedule). */
  readonly eventPatterns: EventPattern[];
  /** EventBridge Scheduler schedules that invoke the runner to start executions (`addExecutionSchedule`). */
  readonly executionSchedules: ExecutionSchedule[];
}

/** A Scheduler schedule whose target is the runner, as the template declares it. */
export interface ExecutionSchedule {
  readonly logicalId: string;
  readonly expression: string;
  readonly timeZone?: string;
  /** The target's input, before Scheduler substitutes its context attributes. */
  readonly input: string;
}

/** An EventBridge event pattern: field -> allowed values, nested for `detail`. */
export type EventPattern = { readonly [field: string]: readonly unknown[] | EventPattern };

/**
 * Reads the pipeline from `<cdkOut>/<stack>.template.json`: the runner is the function whose
 * environment names the activity (the contract's env names); the state machine is the one whose
 * definition references that activity; the table and the schedule are the ones wired to it.
 */
export function readPipelineTemplate(templateFile: string): PipelineTemplate {
  const cdkOut = path.dirname(templateFile);
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources: Record<string, CfnResource> };
  const resources = template.Resources;
  const resolve = (value: unknown): any => resolveValue(value, resources);

  const runners = Object.entries(resources).filter(([, r]) =>
    r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.[RunnerEnv.ACTIVITY_ARN]);
  if (runners.length !== 1) {
    throw new Error(`${templateFile}: expected one GlueOrchestratedPipeline runner, found ${runners.length}`);
  }
  const [runnerId, runner] = runners[0];
  const vars = runner.Properties!.Environment.Variables as Record<string, unknown>;
  const runnerEnv = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(resolve(v))]));
  const activityRef = (vars[RunnerEnv.ACTIVITY_ARN] as { Ref: string }).Ref;
  const tableRef = (vars[RunnerEnv.TRACKING_TABLE] as { Ref: string }).Ref;

  const machineEntry = Object.entries(resources).find(([, r]) =>
    r.Type === 'AWS::StepFunctions::StateMachine' && JSON.stringify(r.Properties?.DefinitionString).includes(`"Ref":"${activityRef}"`));
  if (!machineEntry) {
    throw new Error(`${templateFile}: no state machine uses activity ${activityRef}`);
  }
  const [machineId, machine] = machineEntry;
  const definition = JSON.parse(resolve(machine.Properties!.DefinitionString));

  const tableProps = resources[tableRef].Properties!;
  const runnerRules = Object.values(resources).filter((r) =>
    r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties?.Targets ?? []).includes(`"${runnerId}"`));
  const rule = runnerRules.find((r) => r.Properties?.ScheduleExpression);
  const rate = /^rate\((\d+) minutes?\)$/.exec(String(rule?.Properties?.ScheduleExpression ?? ''));
  if (!rate) {
    throw new Error(`${templateFile}: no rate(...) schedule invokes ${runnerId}`);
  }

  const assets = JSON.parse(fs.readFileSync(templateFile.replace(/\.template\.json$/, '.assets.json'), 'utf8'));
  const hash = String(runner.Properties!.Code.S3Key).replace(/\.zip$/, '');
  const assetPath = assets.files?.[hash]?.source?.path;
  if (!assetPath) {
    throw new Error(`${templateFile}: the runner asset ${hash} is not in the assets manifest`);
  }

  return {
    definition,
    activityArn: resolve({ Ref: activityRef }),
    runnerEnv,
    runnerAssetDir: path.join(cdkOut, assetPath),
    runnerTimeoutSeconds: runner.Properties!.Timeout ?? 3,
    checkIntervalSeconds: Number(rate[1]) * 60,
    table: {
      TableName: resolve({ Ref: tableRef }),
      KeySchema: tableProps.KeySchema,
      AttributeDefinitions: tableProps.AttributeDefinitions,
      BillingMode: tableProps.BillingMode ?? 'PAY_PER_REQUEST',
    },
    stepNames: orderedStates(definition),
    stepParameters: stepParametersOf(definition),
    stateMachineArn: resolve({ Ref: machineId }),
    eventPatterns: runnerRules.filter((r) => r.Properties?.EventPattern).map((r) => resolve(r.Properties!.EventPattern)),
    executionSchedules: Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule' && JSON.stringify(r.Properties?.Target?.Arn ?? '').includes(`"${runnerId}"`))
      .map(([logicalId, r]) => ({
        logicalId,
        expression: String(r.Properties!.ScheduleExpression),
        timeZone: r.Properties!.ScheduleExpressionTimezone,
        input: String(resolve(r.Properties!.Target.Input ?? '')),
      })),
  };
}

/** Resolves Ref, Fn::Join and Fn::GetAtt to the names the local services use. */
function resolveValue(value: unknown, resources: Record<string, CfnResource>): any {
  if (Array.isArray(value)) {
    return value.map((v) => resolveValue(v, resources));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const obj = value as Record<string, any>;
  if ('Ref' in obj) {
    return physicalName(obj.Ref, resources);
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'];
    return (resolveValue(parts, resources) as unknown[]).join(sep);
  }
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'];
    return `${physicalName(id, resources)}.${attr}`;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveValue(v, resources)]));
}

function physicalName(logicalId: string, resources: Record<string, CfnResource>): string {
  switch (logicalId) {
    case 'AWS::Region': return SIM_REGION;
    case 'AWS::AccountId': return SIM_ACCOUNT;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
  }
  const resource = resources[logicalId];
  switch (resource?.Type) {
    case 'AWS::StepFunctions::Activity': return `arn:aws:states:${SIM_REGION}:${SIM_ACCOUNT}:activity:${logicalId}`;
    // A Glue job's, crawler's, trigger's or workflow's Ref is its name (a step may name one by `cfnCrawler.ref`).
    case 'AWS::Glue::Job':
    case 'AWS::Glue::Crawler':
    case 'AWS::Glue::Trigger':
    case 'AWS::Glue::Workflow':
      return resource.Properties?.Name ?? logicalId;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${SIM_REGION}:${SIM_ACCOUNT}:stateMachine:${resource.Properties?.StateMachineName ?? logicalId}`;
    default: return resource?.Properties?.TableName ?? logicalId;
  }
}

/**
 * Whether an event matches an EventBridge pattern: every field of the pattern must be present
 * and equal one of its listed values (the exact-match subset of the pattern language, which is
 * all the construct uses).
 */
export function matchesPattern(event: Record<string, unknown>, pattern: EventPattern): boolean {
  return Object.entries(pattern).every(([field, allowed]) => {
    const value = event[field];
    if (Array.isArray(allowed)) {
      return allowed.includes(value);
    }
    return typeof value === 'object' && value !== null && matchesPattern(value as Record<string, unknown>, allowed as EventPattern);
  });
}

/** Every state of the definition, those inside Parallel branches too, by name. */
export function allStates(definition: { States: Record<string, any> }): Array<[string, any]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, any],
    ...((state.Branches ?? []) as Array<{ States: Record<string, any> }>).flatMap(allStates),
  ]);
}

/** Each step's Parameters (its static task input), by step name. */
function stepParametersOf(definition: { StartAt: string; States: Record<string, any> }): Record<string, Record<string, any>> {
  const states = new Map(allStates(definition));
  return Object.fromEntries(orderedStates(definition).map((name) => [name, states.get(name)?.Parameters ?? {}]));
}

/**
 * Step (state) names from StartAt along Next, the order a sequence runs in; a Parallel state
 * (a graph) stands for its branches' steps, in branch order. Only Task states are steps: the
 * re-run Choice at the start is followed to its Default, through the Pass state there.
 */
function orderedStates(definition: { StartAt: string; States: Record<string, any> }): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const after = (state: any): string | undefined => (state?.Type === 'Choice' ? state.Default : state?.Next);
  for (let name: string | undefined = definition.StartAt; name && !seen.has(name); name = after(definition.States[name])) {
    seen.add(name);
    const state = definition.States[name];
    if (state?.Type === 'Parallel') {
      names.push(...(state.Branches as Array<{ StartAt: string; States: Record<string, any> }>).flatMap(orderedStates));
    } else if (state?.Type === 'Task') {
      names.push(name);
    }
  }
  return names;
}
