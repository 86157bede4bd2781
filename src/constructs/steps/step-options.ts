import { CfnElement, Duration, Reference, Token, Tokenization } from 'aws-cdk-lib';
import { StepKind } from '../../shared/contract';
import type { PipelineStepOptions, StepRetry } from '../pipeline-step';
import { ERRORS_RAISED_BY, STATES_ERRORS } from './errors-raised';

/** A step name is a state name and a key of `$.results`: letters, digits, underscores. */
export const STEP_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Names this library accepts for Glue jobs, crawlers, triggers and workflows. */
const GLUE_NAME = /^[\w\-. ]{1,255}$/u;

/** The options every kind of step shares, validated. */
export interface ResolvedStepOptions {
  readonly stepName: string;
  readonly dependsOn?: string[];
  readonly retry?: StepRetry;
  readonly expectedDuration?: Duration;
}

/**
 * Validates the shared options of a step whose resource reads as `label`; the step name
 * defaults to one derived from it.
 */
export function resolveStepOptions(options: PipelineStepOptions, label: string, kind: StepKind): ResolvedStepOptions {
  const stepName = options.stepName ?? defaultStepName(label);
  validateStepName(stepName);
  const where = `step "${stepName}"`;
  return {
    stepName,
    dependsOn: options.dependsOn && validateDependsOn(where, options.dependsOn),
    retry: options.retry && validateRetry(where, options.retry, kind),
    expectedDuration: options.expectedDuration && validateExpectedDuration(where, options.expectedDuration, kind),
  };
}

/**
 * Validates the name of a Glue resource (`what` is e.g. "glue crawler"). Tokens pass: only the
 * deployment knows them.
 */
export function validateGlueName(what: string, name: string): string {
  if (typeof name !== 'string' || (!Token.isUnresolved(name) && !GLUE_NAME.test(name))) {
    throw new Error(`${what} name "${name}" is not valid: use 1 to 255 letters, digits, spaces, "_", "-" or "."`);
  }
  return name;
}

/**
 * A readable name for a resource whose name may be a token: the token of a resource defined in
 * the app (`cfnCrawler.ref`) reads as that resource's name when it sets one, else its construct
 * id; `fallback` stands in for any other token.
 */
export function labelOf(name: string, fallback: string): string {
  if (!Token.isUnresolved(name)) {
    return name;
  }
  const token = Tokenization.reverseString(name).firstToken;
  if (Reference.isReference(token) && token.target instanceof CfnElement) {
    const named = (token.target as CfnElement & { name?: unknown }).name;
    return typeof named === 'string' && !Token.isUnresolved(named) ? named : token.target.node.id;
  }
  return fallback;
}

/**
 * The minutes a step's state waits for its work: `timeout` in whole minutes, at least one (and
 * at most `maxMinutes`, when given), or `defaultMinutes` when unset.
 */
export function waitMinutesOf(where: string, timeout: Duration | undefined, defaultMinutes: number, maxMinutes?: number): number {
  if (timeout === undefined) {
    return defaultMinutes;
  }
  if (timeout.isUnresolved()) {
    throw new Error(`${where}: timeout must be a concrete duration, not a token: the state's timeout is derived from it`);
  }
  const minutes = timeout.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1 || (maxMinutes !== undefined && minutes > maxMinutes)) {
    const range = maxMinutes === undefined ? ', at least 1' : ` from 1 to ${maxMinutes}`;
    throw new Error(`${where}: timeout must be a whole number of minutes${range}, got ${timeout.toHumanString()}`);
  }
  return minutes;
}

/**
 * Validates a map of strings passed to Glue (`what` is e.g. "run property"); `keyProblem` says
 * what is wrong with a key, if anything. Returns a copy.
 */
export function validateStringMap(
  where: string,
  what: string,
  map: { [key: string]: string },
  keyProblem: (key: string) => string | undefined,
): { [key: string]: string } {
  for (const [key, value] of Object.entries(map)) {
    const problem = keyProblem(key);
    if (problem) {
      throw new Error(`${where}: ${problem}`);
    }
    if (typeof value !== 'string') {
      throw new Error(`${where}: ${what} "${key}" must be a string, got ${typeof value}`);
    }
  }
  return { ...map };
}

export function positiveInteger(where: string, field: string, value: number | undefined) {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`${where}: ${field} must be a positive whole number, got ${value}`);
  }
}

export function positiveNumber(where: string, field: string, value: number | undefined) {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isFinite(value) && value > 0)) {
    throw new Error(`${where}: ${field} must be a positive number, got ${value}`);
  }
}

function defaultStepName(label: string): string {
  const name = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
  return /^[A-Za-z]/.test(name) ? name : `step_${name}`.slice(0, 64);
}

function validateStepName(name: string) {
  if (typeof name !== 'string' || Token.isUnresolved(name) || !STEP_NAME.test(name)) {
    throw new Error(`step name "${name}" is not valid: use 1 to 64 letters, digits and underscores, starting with a letter`);
  }
}

function validateDependsOn(where: string, dependsOn: string[]): string[] {
  if (!Array.isArray(dependsOn)) {
    throw new Error(`${where}: dependsOn must be a list of step names, got ${JSON.stringify(dependsOn)}`);
  }
  for (const name of dependsOn) {
    if (typeof name !== 'string' || Token.isUnresolved(name) || !STEP_NAME.test(name)) {
      const derived = typeof name === 'string' && !Token.isUnresolved(name) && GLUE_NAME.test(name) ? defaultStepName(name) : undefined;
      throw new Error(`${where}: dependsOn entry "${name}" is not a step name: use 1 to 64 letters, digits and underscores, starting with a letter`
        + (derived === undefined ? '' : `. dependsOn lists step names, not Glue names: a step named after Glue resource "${name}" is called "${derived}" unless it sets stepName`));
    }
  }
  return [...dependsOn];
}

function validateRetry(where: string, retry: StepRetry, kind: StepKind): StepRetry {
  if (retry.errors.length === 0 || retry.errors.some((e) => typeof e !== 'string' || e.length === 0)) {
    throw new Error(`${where}: retry.errors must list at least one error name, e.g. StepErrors.JOB_FAILED, got ${JSON.stringify(retry.errors)}`);
  }
  const raised: readonly string[] = [...ERRORS_RAISED_BY[kind], ...STATES_ERRORS];
  for (const error of retry.errors) {
    if (!Token.isUnresolved(error) && !raised.includes(error)) {
      const near = closest(error, raised);
      throw new Error(`${where}: retry.errors has "${error}", which a ${kind} step never fails with, so the retry could never match`
        + `${near ? `; did you mean "${near}"?` : ''} A ${kind} step fails with ${ERRORS_RAISED_BY[kind].join(', ')}, or a States.* error such as States.ALL`);
    }
  }
  if (retry.maxAttempts !== undefined && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1 && retry.maxAttempts <= 99_999_999)) {
    throw new Error(`${where}: retry.maxAttempts must be a whole number from 1 to 99999999, got ${retry.maxAttempts}`);
  }
  if (retry.backoffRate !== undefined && !(retry.backoffRate >= 1)) {
    throw new Error(`${where}: retry.backoffRate must be at least 1, got ${retry.backoffRate}`);
  }
  if (retry.interval !== undefined && !retry.interval.isUnresolved()) {
    const seconds = retry.interval.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new Error(`${where}: retry.interval must be a whole number of seconds, at least 1, got ${retry.interval.toHumanString()}`);
    }
  }
  return retry;
}

/**
 * An expected duration: concrete, whole seconds, at least one; not on a kind that is over once
 * started (a trigger), which could never be late. Whether it is below the step's timeout is
 * checked with the pipeline's plan (`lateStepError`), once the step knows its timeout.
 */
function validateExpectedDuration(where: string, expected: Duration, kind: StepKind): Duration {
  if (expected.isUnresolved()) {
    throw new Error(`${where}: expectedDuration must be a concrete duration, not a token: the runner is told it at synth`);
  }
  const seconds = expected.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`${where}: expectedDuration must be a whole number of seconds, at least 1, got ${expected.toHumanString()}`);
  }
  if (kind === 'glue-trigger') {
    throw new Error(`${where}: expectedDuration is set on a glue-trigger step, which is over as soon as Glue accepts the firing, `
      + 'so it is never late; remove it (to watch what the trigger starts, run it as a glueWorkflow step, or watch its jobs)');
  }
  return expected;
}

/**
 * The error, if any, of a step whose expected duration is not below the time its work may take
 * (`waitMinutes`: its run timeout, for each Glue attempt of a job; a crawler's or workflow's
 * timeout): the work ends, or the state gives up, before the step could be late.
 */
export function lateStepError(stepName: string, expected: Duration | undefined, waitMinutes: number): string | undefined {
  if (expected === undefined || expected.toSeconds() < waitMinutes * 60) {
    return undefined;
  }
  return `step "${stepName}": expectedDuration (${expected.toHumanString()}) is not below the step's timeout (${waitMinutes} minutes), `
    + 'so the step could never be late: set an expectedDuration below its timeout, or a longer timeout';
}

/** The name in `names` closest to `name` (at most a fifth of its letters apart, or 2), if any. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 5)) + 1;
  for (const candidate of names) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
