import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GraphPipelineStack } from '../lib/graph-pipeline-stack';
import { OrdersPipelineStack } from '../lib/orders-pipeline-stack';

const env = { account: '123456789012', region: 'us-east-1' };

/** The state machine's definition, with its `Fn::Join` of tokens rendered as `${Ref}` / `${Logical.Attr}`. */
function definitionOf(template: Template): unknown {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const body = machine.Properties.DefinitionString;
  const parts: unknown[] = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  return JSON.parse(parts.map((p) => {
    if (typeof p === 'string') return p;
    const token = p as { 'Ref'?: string; 'Fn::GetAtt'?: string[] };
    return token.Ref ? `\${${token.Ref}}` : `\${${(token['Fn::GetAtt'] ?? []).join('.')}}`;
  }).join(''));
}

/** How many resources of each type. */
function resourceCounts(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

describe('GIVEN the orders pipeline', () => {
  const template = Template.fromStack(new OrdersPipelineStack(new App(), 'OrdersPipeline', { env }));

  test('THEN its resources and state machine definition match the snapshot', () => {
    expect(resourceCounts(template)).toMatchSnapshot();
    expect(definitionOf(template)).toMatchSnapshot();
  });

  test('THEN the transform step runs the job defined in the app (by its Ref) with 10 G.2X workers', () => {
    const definition = definitionOf(template) as { States: Record<string, { Parameters: Record<string, unknown> }> };
    expect(definition.States.transform.Parameters).toMatchObject({ jobName: '${TransformOrders}', workerType: 'G.2X', numberOfWorkers: 10 });
    template.hasResourceProperties('AWS::Glue::Job', { Name: 'transform-orders' });
  });

  test('THEN its four alarms notify the encrypted alarm topic, which its failure events reach too, and its dashboard is orders-pipeline', () => {
    const topic = { Ref: Match.stringLikeRegexp('^AlarmTopic') };
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic] }, 4);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': ['Glue Pipeline Step Failed'] }), Targets: [Match.objectLike({ Arn: topic })] });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-pipeline' });
  });
});

describe('GIVEN the graph pipeline', () => {
  const template = Template.fromStack(new GraphPipelineStack(new App(), 'GraphPipeline', { env }));

  test('THEN its state machine definition matches the snapshot', () => {
    expect(definitionOf(template)).toMatchSnapshot();
  });
});
