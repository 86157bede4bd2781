import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PIPELINE_EVENT_SOURCE } from '../../shared/operations';

/**
 * A rule on the default event bus for one kind of the pipeline's own events (`detailType`, one
 * of `PipelineEventTypes`), matched by its `pipelineId`, in aws-cdk's `onXxx` idiom: the options'
 * `eventPattern` narrows it further and its `target`, if any, receives the events.
 */
export function pipelineEventRule(
  scope: Construct, id: string, pipelineId: string, detailType: string, options: events.OnEventOptions = {},
): events.Rule {
  const { target, eventPattern, ...ruleOptions } = options;
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
