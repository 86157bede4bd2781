import { App } from 'aws-cdk-lib';
import { GraphPipelineStack } from '../lib/graph-pipeline-stack';
import { OrdersPipelineStack } from '../lib/orders-pipeline-stack';

// Writes to CDK_OUTDIR (consumers/run.sh sets it).
const app = new App();
const env = { account: '123456789012', region: 'us-east-1' };
new OrdersPipelineStack(app, 'OrdersPipeline', { env });
new GraphPipelineStack(app, 'GraphPipeline', { env });
app.synth();
