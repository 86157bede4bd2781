import { Token } from 'aws-cdk-lib';
import { EXECUTION_REFERENCE, STEP_REFERENCE } from '../shared/contract';

/**
 * Values known only when the pipeline runs, for a job step's argument values and a workflow
 * step's run property values. Each method returns a reference as text, `{{...}}`, which the
 * runner replaces with the value when it starts the step; put it anywhere in a value, any
 * number of times, e.g. `'s3://bucket/date=' + StepValue.fromExecutionInput('runDate') + '/'`
 * (or write `s3://bucket/date={{execution.runDate}}/` directly).
 *
 * Text values are put in as they are, any other value as JSON. References are checked at
 * synth: a malformed one, a step this step does not depend on, or a field its result does not
 * have is an error.
 */
export class StepValue {
  /**
   * A field of the execution's input: `{{execution.<path>}}`. For an execution started with
   * `{ "run": { "date": "2026-01-01" } }`, `fromExecutionInput('run.date')` is `2026-01-01`.
   *
   * The field cannot be checked at synth: an execution whose input lacks it fails the step's
   * state with `States.Runtime` before the step starts.
   *
   * @param path names of letters, digits and "_" (not starting with a digit), joined by "."
   */
  public static fromExecutionInput(path: string): string {
    if (typeof path !== 'string' || Token.isUnresolved(path) || !EXECUTION_REFERENCE.test(`execution.${path}`)) {
      throw new Error(`execution input path "${path}" is not valid: use names of letters, digits and "_" (not starting with a digit) joined by ".", e.g. "run.date"`);
    }
    return `{{execution.${path}}}`;
  }

  /**
   * A field of the result of an earlier step: `{{steps.<stepName>.<field>}}`, e.g.
   * `fromStepResult('extract', 'jobRunId')`. The step must be one this step depends on,
   * directly or through others (in a pipeline without `dependsOn`, any step listed before it).
   *
   * The fields of each kind's result: a job's `stepName`, `jobName`, `jobRunId`, `state`,
   * `startedOn`, `completedOn`, `executionTimeSeconds`; a crawler's `stepName`, `crawlerName`,
   * `crawlId`, `state`, `startedOn`, `completedOn`, `logGroup`, `logStream`; a trigger's `stepName`, `triggerName`,
   * `state`, `startedOn`; a workflow's `stepName`, `workflowName`, `workflowRunId`, `state`,
   * `startedOn`, `completedOn`, `succeededActions`.
   *
   * @param stepName the name of the step whose result to use
   * @param field the field of that result
   */
  public static fromStepResult(stepName: string, field: string): string {
    const reference = `steps.${stepName}.${field}`;
    if (typeof stepName !== 'string' || typeof field !== 'string' || Token.isUnresolved(reference) || !STEP_REFERENCE.test(reference)) {
      throw new Error(`step result reference "${stepName}"."${field}" is not valid: the step name is 1 to 64 letters, digits and underscores, `
        + 'starting with a letter, and the field is letters only, e.g. StepValue.fromStepResult("extract", "jobRunId")');
    }
    return `{{${reference}}}`;
  }

  private constructor() {}
}
