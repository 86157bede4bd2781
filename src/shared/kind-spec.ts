import type { StepErrorName } from './error-names';
import type { TaskInputCommon } from './task-input-common';

/**
 * How the runner reads one field of a kind's task input (`?`: may be absent):
 * - `name`: a non-empty string, required (the Glue resource's name);
 * - `text?`: a non-empty string;
 * - `count?`: a positive integer; `whole?`: an integer, 0 or more; `amount?`: a positive number;
 * - `arguments`: Glue job arguments, `"--key": "value"` strings; `properties`: `"key": "value"`
 *   strings. Both may be absent (read as empty), and both are the only values that may hold
 *   `{{...}}` references, which the runner resolves before the start.
 * - `{ oneOf }`: one of the given strings, may be absent.
 */
export type FieldRule = 'name' | 'text?' | 'count?' | 'whole?' | 'amount?' | 'arguments' | 'properties' | { readonly oneOf: readonly string[] };

/** The fields of one kind's task input beyond the ones every kind has, `kind` included. */
export type KindFields<I extends TaskInputCommon> = Omit<I, keyof TaskInputCommon>;

/**
 * EventBridge's event that a kind's work ended, where Glue sends one: the construct puts a rule
 * on it for the pipeline's resources of the kind, and the runner reports the work it names at
 * once instead of at the next sweep.
 */
export interface EndEventSpec {
  /** The event's `detail-type` (its `source` is `aws.glue`). */
  readonly detailType: string;
  /** The field of `detail` that names the resource, e.g. `jobName`. */
  readonly nameField: string;
  /**
   * The field of `detail` that names the run, where the event names one (`jobRunId`): the
   * runner then reads that run itself, whatever state the event says. Without it, the runner
   * acts on the event only in one of `states`, and observes every record tracking the resource.
   */
  readonly runIdField?: string;
  /** The values of `detail.state` that mean the work ended: the rule matches only these. */
  readonly states: readonly string[];
  /** The construct id of the rule (more rules, when the names do not fit one: `<id>2`, ...). */
  readonly ruleId: string;
  /** The rule's description. */
  readonly ruleDescription: string;
}

/**
 * Where a kind's work is seen in the AWS console, for the links of failure mail and events. AWS
 * documents no URL format for console pages: these are the paths the consoles use (see
 * docs/aws-assumptions.md).
 */
export interface ConsoleSpec {
  /**
   * The Glue console page of the work: the console (`glue` or `gluestudio`) and its URL fragment,
   * with `{name}` (the resource) and `{runId}` replaced, each URL-encoded. A page that names
   * `{runId}` is linked only when a run was started.
   */
  readonly page: { readonly console: 'glue' | 'gluestudio'; readonly fragment: string };
  /** The CloudWatch log streams Glue writes the work's logs to by default, if any. */
  readonly logs?: { readonly output: LogStreamSpec; readonly error?: LogStreamSpec };
}

/** A CloudWatch log stream: its group, and whether the run id or the resource's name names the stream. */
export interface LogStreamSpec {
  readonly group: string;
  readonly streamNamedBy: 'runId' | 'resourceName';
}

/**
 * What one step kind is, declared once for both sides: the construct builds the kind's task
 * input, validation and event rules from it; the runner parses the task input, resolves
 * references, names the resource and classifies the kind's events with it.
 */
export interface StepKindSpec<I extends TaskInputCommon & { readonly kind: string }, R = unknown> {
  readonly kind: I['kind'];
  /** The task input field that names the Glue resource the step drives. */
  readonly targetField: keyof KindFields<I> & string;
  /** What the resource is, in a sentence: `job` in "the Glue job my-job". */
  readonly resource: string;
  /** How the runner reads each of the kind's own task input fields; every field has one. */
  readonly fields: { readonly [F in Exclude<keyof KindFields<I>, 'kind'>]-?: FieldRule };
  /**
   * The fields of the step's result, what SendTaskSuccess sends and the state machine keeps
   * under `$.results.<step>`; steps refer to them as `{{steps.<step>.<field>}}`. Every field of
   * the kind's result type is listed (the compiler checks it), in the order documented.
   */
  readonly resultFields: { readonly [F in keyof R]-?: true };
  /** The error names a failed step of the kind ends with, those every kind may end with included. */
  readonly errors: readonly StepErrorName[];
  /** Glue's event when the kind's work ends; absent when Glue sends none (the sweep checks it). */
  readonly endEvent?: EndEventSpec;
  /** Where the kind's work is seen in the console. */
  readonly console: ConsoleSpec;
}
