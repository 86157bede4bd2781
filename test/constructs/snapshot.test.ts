import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrdersPipelineStack } from '../../examples/orders-pipeline-stack';

/**
 * Replaces asset hashes (64 hex characters) with a fixed mark, so the snapshot changes when
 * the template does, not when the runner's bundle does.
 */
function maskAssetHashes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

test('the example pipeline template matches the golden snapshot', () => {
  // GIVEN the example app's stack
  const stack = new OrdersPipelineStack(new App(), 'OrdersPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  // THEN (update deliberately with `npx projen test:update`)
  expect(maskAssetHashes(Template.fromStack(stack).toJSON())).toMatchSnapshot();
});
