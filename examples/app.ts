import { App } from 'aws-cdk-lib';
import { OrdersPipelineStack } from './orders-pipeline-stack';

// Writes to CDK_OUTDIR (examples/cdk.out with `npx projen synth:example`).
const app = new App();
new OrdersPipelineStack(app, 'OrdersPipeline', {
  env: { account: '123456789012', region: 'us-east-1' },
});
app.synth();
