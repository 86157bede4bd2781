"""The example's orders pipeline and a small graph with references, from Python.

Installed the way a user installs it: `pip install aws-cdk-lib==<floor> glue-orchestrated-pipeline`
into a virtual environment (see consumers/run.sh). Writes to CDK_OUTDIR.
"""
import aws_cdk as cdk
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from glue_orchestrated_pipeline import (
    ExecutionClass,
    FailureEmailOptions,
    GlueJob,
    GlueOrchestratedPipeline,
    PipelineAlarmsOptions,
    PipelineDashboardOptions,
    PipelineStep,
    StepValue,
    WorkerType,
)


class OrdersPipelineStack(cdk.Stack):
    """The TypeScript example (examples/orders-pipeline-stack.ts), line for line."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        glue_role = iam.Role(self, "GlueRole", assumed_by=iam.ServicePrincipal("glue.amazonaws.com"))
        transform = glue.CfnJob(
            self,
            "TransformOrders",
            name="transform-orders",
            role=glue_role.role_arn,
            glue_version="5.0",
            command=glue.CfnJob.JobCommandProperty(
                name="glueetl", python_version="3", script_location="s3://example-etl-scripts/transform_orders.py"
            ),
            worker_type="G.1X",
            number_of_workers=2,
            timeout=120,
        )

        # The alarm topic, encrypted with a key of our own: CloudWatch and EventBridge can publish
        # to an encrypted topic only if the key's policy lets them (not so with alias/aws/sns).
        alarm_key = kms.Key(
            self, "AlarmTopicKey", description="Encrypts the orders pipeline alarm topic", enable_key_rotation=True
        )
        self.alarm_topic = sns.Topic(self, "AlarmTopic", master_key=alarm_key, enforce_ssl=True)
        # The alarms of this account may publish to the topic and use its key (no confused deputy).
        self.alarm_topic.grant_publish(
            iam.ServicePrincipal(
                "cloudwatch.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": self.account}}
            )
        )

        self.pipeline = GlueOrchestratedPipeline(
            self,
            "OrdersPipeline",
            steps=[
                PipelineStep.glue_job(
                    step_name="extract",
                    job=GlueJob.from_name("extract-orders"),
                    arguments={"--source": "orders", "--since-days": "1"},
                    timeout=cdk.Duration.minutes(30),
                ),
                PipelineStep.glue_job(
                    step_name="transform",
                    job=GlueJob.from_cfn_job(transform),
                    worker_type=WorkerType.G_2_X,
                    number_of_workers=10,
                ),
                PipelineStep.glue_job(
                    step_name="load",
                    job=GlueJob.from_name("load-orders-warehouse"),
                    execution_class=ExecutionClass.FLEX,
                    arguments={"--target": "warehouse.orders"},
                ),
            ],
            failure_email=FailureEmailOptions(sender="pipelines@example.com", recipients=["data-team@example.com"]),
            notification_topic=self.alarm_topic,
            alarms=PipelineAlarmsOptions(
                alarm_actions=[cw_actions.SnsAction(self.alarm_topic)],
                no_success_within=cdk.Duration.days(1),
            ),
            dashboard=PipelineDashboardOptions(dashboard_name="orders-pipeline"),
        )


class GraphPipelineStack(cdk.Stack):
    """Two extracts at once, a join that reads their run ids, a crawl of the result."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        GlueOrchestratedPipeline(
            self,
            "Graph",
            steps=[
                PipelineStep.glue_job(
                    step_name="orders",
                    job=GlueJob.from_name("extract-orders"),
                    depends_on=[],
                    arguments={"--day": StepValue.from_execution_input("runDate")},
                ),
                PipelineStep.glue_job(step_name="customers", job=GlueJob.from_name("extract-customers"), depends_on=[]),
                PipelineStep.glue_job(
                    step_name="join",
                    job=GlueJob.from_name("join-orders"),
                    depends_on=["orders", "customers"],
                    arguments={
                        "--input": "s3://lake/orders/day=" + StepValue.from_execution_input("runDate") + "/",
                        "--orders-run": StepValue.from_step_result("orders", "jobRunId"),
                    },
                ),
                PipelineStep.glue_crawler(step_name="catalog", crawler_name="joined-orders-crawler", depends_on=["join"]),
            ],
        )


app = cdk.App()
env = cdk.Environment(account="123456789012", region="us-east-1")
OrdersPipelineStack(app, "OrdersPipeline", env=env)
GraphPipelineStack(app, "GraphPipeline", env=env)
app.synth()
