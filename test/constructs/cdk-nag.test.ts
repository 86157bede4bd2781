import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthPipeline } from '../support/pipeline-fixture';

const MAIL = { sender: 'pipelines@example.com', recipients: ['team@example.com'] };

describe('cdk-nag AwsSolutions', () => {
  test('the pipeline has no unsuppressed finding', () => {
    // GIVEN / WHEN
    const { stack } = synthPipeline({ failureEmail: MAIL }, (s) => Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true })));
    // THEN
    const annotations = Annotations.fromStack(stack);
    const findings = [
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((a) => `${a.id}: ${String(a.entry.data).split(':')[0]}`)).toEqual([]);
  });

  test('the one suppression the library ships is scoped to Resource::* and gives its reason', () => {
    const { template } = synthPipeline();
    const suppressed = Object.values(template.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: unknown } }>)
      .filter((r) => r.Metadata?.cdk_nag);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].Metadata!.cdk_nag).toEqual({
      rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: expect.stringMatching(/support only Resource "\*"/), applies_to: ['Resource::*'] }],
    });
  });
});
