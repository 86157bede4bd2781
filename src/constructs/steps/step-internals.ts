import type { StepTaskInput, TaskInputCommon } from '../../shared/contract';

/**
 * The kind-specific part of a task input (kind, resource name, what is passed to Glue): the
 * task input of each kind without the fields every kind shares.
 */
export type StepTaskFields = StepTaskInput extends infer T
  ? T extends StepTaskInput ? Omit<T, keyof TaskInputCommon> : never
  : never;

/** What the runner may do to a step's Glue resource. */
export interface GlueAccess {
  /** IAM actions, e.g. `glue:StartCrawler`. */
  readonly actions: readonly string[];
  /** The resource type in the ARN, e.g. `crawler` in `arn:aws:glue:...:crawler/<name>`. */
  readonly resourceType: string;
}

/** A value that may hold `{{...}}` references, and where it comes from (for messages). */
export interface ReferenceSite {
  /** What the value is, e.g. `argument` or `run property`. */
  readonly what: string;
  /** Its key, e.g. `--day`. */
  readonly key: string;
  readonly value: string;
}
