import { AwsLimits } from './limits/aws-limits';
import type { EndEventSpec } from '../shared/contract';

/** What one kind of Glue event rule matches: the kind's end event. */
export type GlueEventSpec = Pick<EndEventSpec, 'detailType' | 'nameField' | 'states'>;

/** The event pattern of a rule matching `names`, as the template renders it. */
export function glueEventPattern(spec: GlueEventSpec, names: readonly string[]): Record<string, unknown> {
  return {
    'source': ['aws.glue'],
    'detail-type': [spec.detailType],
    'detail': { [spec.nameField]: [...names], state: [...spec.states] },
  };
}

/**
 * Splits `names` into as few groups as keep each group's pattern within EventBridge's
 * character limit; `measure` gives the resolved length of the pattern of a group. Every name
 * is in exactly one group, in the order given. Throws when a single name does not fit.
 */
export function packEventPatterns(
  names: readonly string[],
  measure: (group: readonly string[]) => number,
  maxCharacters: number = AwsLimits.EVENT_PATTERN_CHARACTERS,
): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  for (const name of names) {
    if (group.length > 0 && measure([...group, name]) > maxCharacters) {
      groups.push(group);
      group = [];
    }
    group.push(name);
    const size = measure(group);
    if (group.length === 1 && size > maxCharacters) {
      throw new Error(`the event pattern matching "${name}" alone would have ${size} characters, more than EventBridge's `
        + `${maxCharacters} per pattern; use a shorter name`);
    }
  }
  if (group.length > 0) {
    groups.push(group);
  }
  return groups;
}
