import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { OrdersPipelineStack } from '../lib/orders-pipeline-stack';

/**
 * The AwsSolutions rules that report the pipeline's resources (errors and warnings), by rule id.
 * The app's own Glue job (GL1, GL3: no security configuration) is the app's business, not the library's.
 */
function findings(suppressRuntime: boolean): string[] {
  const app = new App();
  const stack = new OrdersPipelineStack(app, 'OrdersPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  if (suppressRuntime) {
    // The README's suppression for aws-cdk-lib releases newer than the floor (see its cdk-nag paragraph).
    NagSuppressions.addResourceSuppressions(stack.pipeline, [{
      id: 'AwsSolutions-L1',
      reason: 'The runner stays on Node.js 22, the newest runtime of aws-cdk-lib 2.189.1, the floor this library supports',
    }], true);
  }
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const annotations = Annotations.fromStack(Stack.of(stack));
  return [...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))]
    .filter((a) => a.id.startsWith(`/${stack.node.path}/${stack.pipeline.node.id}/`))
    .map((a) => String(a.entry.data).split(':')[0]);
}

const FLOOR = '2.189.1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdkVersion: string = require('aws-cdk-lib/package.json').version;

test(`cdk-nag AwsSolutions at aws-cdk-lib ${cdkVersion}: as the README says (none at the floor ${FLOOR}; only AwsSolutions-L1 on newer releases, which the suppression clears)`, () => {
  const unsuppressed = [...new Set(findings(false))];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  console.log(`aws-cdk-lib ${cdkVersion}, cdk-nag ${require('cdk-nag/package.json').version}: AwsSolutions findings without the suppression: ${JSON.stringify(unsuppressed)}`);
  expect(unsuppressed).toEqual(cdkVersion === FLOOR ? [] : ['AwsSolutions-L1']);
  expect(findings(true)).toEqual([]);
});
