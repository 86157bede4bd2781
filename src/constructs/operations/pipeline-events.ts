import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PIPELINE_EVENT_SOURCE } from '../../shared/operations';

/**
 * A rule on the default event bus for one kind of the pipeline's own events (`detailType`, one
 * of `PipelineEventTypes`), matched by its `pipelineId`, in aws-cdk's `onXxx` idiom: the options'
 * `eventPattern` narrows it further by other detail fields, and its `target`, if any, receives
 * the events. EventBridge patterns merge by union, so an `eventPattern` naming the source, the
 * detail-type or the pipeline id would widen the rule to other events: that is an error.
 */
export function pipelineEventRule(
  scope: Construct, id: string, pipelineId: string, detailType: string, options: events.OnEventOptions = {},
): events.Rule {
  const { target, eventPattern, ...ruleOptions } = options;
  const widening = [
    eventPattern?.source && 'source',
    eventPattern?.detailType && 'detailType',
    (eventPattern?.detail as Record<string, unknown> | undefined)?.pipelineId !== undefined && 'detail.pipelineId',
  ].filter((field): field is string => typeof field === 'string');
  if (widening.length > 0) {
    throw new Error(`${id}: eventPattern sets ${widening.join(', ')}, which the rule already matches on; patterns merge by union, `
      + 'so this would match other events too. Narrow by other detail fields, e.g. { detail: { step: ["load"] } }');
  }
  const rule = new events.Rule(scope, id, ruleOptions);
  rule.addEventPattern({
    source: [PIPELINE_EVENT_SOURCE],
    detailType: [detailType],
    detail: { pipelineId: [pipelineId] },
  });
  if (eventPattern) {
    rule.addEventPattern(eventPattern);
  }
  if (target) {
    rule.addTarget(target);
  }
  return rule;
}
