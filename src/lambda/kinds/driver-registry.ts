import { glueCrawlerDriver } from './glue-crawler/crawler-driver';
import { glueJobDriver } from './glue-job/job-driver';
import { glueTriggerDriver } from './glue-trigger/trigger-driver';
import { glueWorkflowDriver } from './glue-workflow/workflow-driver';
import type { StepDriver } from './step-driver';
import { StepKind, StepTaskInput } from '../../shared/contract';

/**
 * The runner's one table of step kinds: each kind's driver. A kind the contract declares and
 * this table misses does not compile.
 */
export const DRIVERS: { readonly [K in StepKind]: StepDriver<Extract<StepTaskInput, { kind: K }>> } = {
  'glue-job': glueJobDriver,
  'glue-crawler': glueCrawlerDriver,
  'glue-trigger': glueTriggerDriver,
  'glue-workflow': glueWorkflowDriver,
};

/** The driver of the input's kind; each driver is only ever handed inputs of its own kind. */
export function driverFor(input: StepTaskInput): StepDriver {
  return DRIVERS[input.kind] as unknown as StepDriver;
}
