import type { ReferenceSite } from './steps/step-internals';
import { EXECUTION_REFERENCE, REFERENCE, STEP_OUTPUT_FIELDS, STEP_REFERENCE, StepKind } from '../shared/contract';

/** `{{execution.<path>}}`: a field of the execution's input. */
export interface ExecutionReference {
  readonly type: 'execution';
  /** Names joined by dots, e.g. `run.date`. */
  readonly path: string;
  /** The reference as written, braces included. */
  readonly text: string;
  readonly site: ReferenceSite;
}

/** `{{steps.<step>.<field>}}`: a field of an upstream step's result. */
export interface StepResultReference {
  readonly type: 'step';
  readonly stepName: string;
  readonly field: string;
  readonly text: string;
  readonly site: ReferenceSite;
}

export type Reference = ExecutionReference | StepResultReference;

/** What a step's references are checked against. */
export interface ReferenceScope {
  /** Every step of the pipeline, in the order listed. */
  readonly stepNames: readonly string[];
  /** The kind of each step, which decides the fields of its result. */
  readonly kinds: ReadonlyMap<string, StepKind>;
  /** The steps that succeed before this one starts: its dependencies, transitively. */
  readonly upstream: ReadonlySet<string>;
}

/**
 * The references in the values of step `stepName`, in order. Throws naming the step, the key
 * and the value when a `{{...}}` is neither form, or a `{{` is never closed.
 */
export function referencesOf(stepName: string, sites: readonly ReferenceSite[]): Reference[] {
  return sites.flatMap((site) => referencesIn(stepName, site));
}

function referencesIn(stepName: string, site: ReferenceSite): Reference[] {
  const where = `step "${stepName}": ${site.what} "${site.key}"`;
  const references = [...site.value.matchAll(REFERENCE)].map(([text, content]): Reference => {
    const execution = EXECUTION_REFERENCE.exec(content);
    if (execution) {
      return { type: 'execution', path: execution[1], text, site };
    }
    const step = STEP_REFERENCE.exec(content);
    if (step) {
      return { type: 'step', stepName: step[1], field: step[2], text, site };
    }
    throw new Error(`${where} holds a malformed reference ${text} in "${site.value}"; `
      + 'write {{execution.<path>}} or {{steps.<step>.<field>}}, e.g. with StepValue.fromExecutionInput() or StepValue.fromStepResult()');
  });
  if (site.value.replace(REFERENCE, '').includes('{{')) {
    throw new Error(`${where} has a "{{" that no "}}" closes in "${site.value}"; `
      + 'close the reference, e.g. {{execution.runDate}}, or write it with StepValue.fromExecutionInput() or StepValue.fromStepResult()');
  }
  return references;
}

/**
 * Checks that each step result a step refers to belongs to a step it depends on (transitively),
 * and is a field that kind of step's result has.
 */
export function checkStepReferences(stepName: string, references: readonly Reference[], scope: ReferenceScope): void {
  for (const ref of references) {
    if (ref.type !== 'step') {
      continue;
    }
    const where = `step "${stepName}": ${ref.site.what} "${ref.site.key}" refers to`;
    const kind = scope.kinds.get(ref.stepName);
    if (kind === undefined) {
      throw new Error(`${where} step "${ref.stepName}" in "${ref.site.value}", which is not a step of this pipeline; steps: ${scope.stepNames.join(', ')}`);
    }
    if (ref.stepName === stepName) {
      throw new Error(`${where} its own result in "${ref.site.value}"; a step can use only the results of the steps it depends on`);
    }
    if (!scope.upstream.has(ref.stepName)) {
      throw new Error(`${where} step "${ref.stepName}" in "${ref.site.value}", but "${stepName}" does not depend on "${ref.stepName}", `
        + `so its result may not exist yet; add "${ref.stepName}" to the dependsOn of "${stepName}"`);
    }
    const fields = STEP_OUTPUT_FIELDS[kind];
    if (!fields.includes(ref.field)) {
      throw new Error(`${where} field "${ref.field}" of step "${ref.stepName}" in "${ref.site.value}", which the result of a ${kind} step does not have; fields: ${fields.join(', ')}`);
    }
  }
}

/** The distinct execution input paths among `references`, in the order first referred to. */
export function executionPaths(references: readonly Reference[]): string[] {
  return [...new Set(references.flatMap((ref) => (ref.type === 'execution' ? [ref.path] : [])))];
}

/** The distinct steps whose results `references` use. */
export function referencedSteps(references: readonly Reference[]): string[] {
  return [...new Set(references.flatMap((ref) => (ref.type === 'step' ? [ref.stepName] : [])))];
}
