import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ExecutionClass, GlueJob, GlueOrchestratedPipeline, PipelineStep, WorkerType } from '../src';

/**
 * A nightly orders pipeline: extract (a job defined elsewhere), transform (a job defined here),
 * then load into the warehouse on cheap Flex capacity.
 */
export class OrdersPipelineStack extends Stack {
  public readonly pipeline: GlueOrchestratedPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const glueRole = new iam.Role(this, 'GlueRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
    });
    const transform = new glue.CfnJob(this, 'TransformOrders', {
      name: 'transform-orders',
      role: glueRole.roleArn,
      glueVersion: '5.0',
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: 's3://example-etl-scripts/transform_orders.py' },
      workerType: 'G.1X',
      numberOfWorkers: 2,
      timeout: 120,
    });

    this.pipeline = new GlueOrchestratedPipeline(this, 'OrdersPipeline', {
      steps: [
        PipelineStep.glueJob({
          stepName: 'extract',
          job: GlueJob.fromName('extract-orders'),
          arguments: { '--source': 'orders', '--since-days': '1' },
          timeout: Duration.minutes(30),
        }),
        PipelineStep.glueJob({
          stepName: 'transform',
          job: GlueJob.fromCfnJob(transform),
          workerType: WorkerType.G_2X,
          numberOfWorkers: 10,
        }),
        PipelineStep.glueJob({
          stepName: 'load',
          job: GlueJob.fromName('load-orders-warehouse'),
          executionClass: ExecutionClass.FLEX,
          arguments: { '--target': 'warehouse.orders' },
        }),
      ],
      failureEmail: {
        sender: 'pipelines@example.com',
        recipients: ['data-team@example.com'],
      },
    });
  }
}
