import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep, StepValue } from 'glue-orchestrated-pipeline';

/** Two extracts at once, a join that reads the execution input and a run id, a crawl of the result. */
export class GraphPipelineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const runDate = StepValue.fromExecutionInput('runDate');
    new GlueOrchestratedPipeline(this, 'Graph', {
      steps: [
        PipelineStep.glueJob({
          stepName: 'orders',
          job: GlueJob.fromName('extract-orders'),
          dependsOn: [],
          arguments: { '--day': runDate },
        }),
        PipelineStep.glueJob({ stepName: 'customers', job: GlueJob.fromName('extract-customers'), dependsOn: [] }),
        PipelineStep.glueJob({
          stepName: 'join',
          job: GlueJob.fromName('join-orders'),
          dependsOn: ['orders', 'customers'],
          arguments: {
            '--input': 's3://lake/orders/day=' + runDate + '/',
            '--orders-run': StepValue.fromStepResult('orders', 'jobRunId'),
          },
        }),
        PipelineStep.glueCrawler({ stepName: 'catalog', crawlerName: 'joined-orders-crawler', dependsOn: ['join'] }),
      ],
    });
  }
}
