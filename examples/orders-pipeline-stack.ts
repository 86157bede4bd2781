import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ExecutionClass, GlueJob, GlueOrchestratedPipeline, PipelineStep, WorkerType } from '../src';

/**
 * A nightly orders pipeline: extract (a job defined elsewhere), transform (a job defined here),
 * then load into the warehouse on cheap Flex capacity. Its alarms and its failure events go to
 * one encrypted SNS topic, and a dashboard shows its runs.
 */
export class OrdersPipelineStack extends Stack {
  public readonly pipeline: GlueOrchestratedPipeline;
  /** Where the pipeline's alarms and failure events go: subscribe the on-call team to it. */
  public readonly alarmTopic: sns.Topic;

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

    // The alarm topic, encrypted with a key of our own: CloudWatch and EventBridge can publish
    // to an encrypted topic only if the key's policy lets them (not so with alias/aws/sns).
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the orders pipeline alarm topic',
      enableKeyRotation: true,
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });
    // The alarms of this account may publish to the topic and use its key (no confused deputy).
    this.alarmTopic.grantPublish(new iam.ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));

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
      notificationTopic: this.alarmTopic,
      alarms: {
        alarmActions: [new cw_actions.SnsAction(this.alarmTopic)],
        noSuccessWithin: Duration.days(1),
      },
      dashboard: { dashboardName: 'orders-pipeline' },
    });
  }
}
