package io.github.glueorchestratedpipeline.consumer;

import io.github.glueorchestratedpipeline.ExecutionClass;
import io.github.glueorchestratedpipeline.FailureEmailOptions;
import io.github.glueorchestratedpipeline.GlueCrawlerStepProps;
import io.github.glueorchestratedpipeline.GlueJob;
import io.github.glueorchestratedpipeline.GlueJobStepProps;
import io.github.glueorchestratedpipeline.GlueOrchestratedPipeline;
import io.github.glueorchestratedpipeline.GlueOrchestratedPipelineProps;
import io.github.glueorchestratedpipeline.PipelineAlarmsOptions;
import io.github.glueorchestratedpipeline.PipelineDashboardOptions;
import io.github.glueorchestratedpipeline.PipelineStep;
import io.github.glueorchestratedpipeline.StepValue;
import io.github.glueorchestratedpipeline.WorkerType;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/** The example's orders pipeline and a small graph with references. Writes to CDK_OUTDIR. */
public final class ConsumerApp {
    /** The TypeScript example (examples/orders-pipeline-stack.ts), line for line. */
    static Stack ordersPipelineStack(final Construct scope, final String id, final StackProps props) {
        Stack stack = new Stack(scope, id, props);

        Role glueRole = Role.Builder.create(stack, "GlueRole")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .build();
        CfnJob transform = CfnJob.Builder.create(stack, "TransformOrders")
                .name("transform-orders")
                .role(glueRole.getRoleArn())
                .glueVersion("5.0")
                .command(CfnJob.JobCommandProperty.builder()
                        .name("glueetl")
                        .pythonVersion("3")
                        .scriptLocation("s3://example-etl-scripts/transform_orders.py")
                        .build())
                .workerType("G.1X")
                .numberOfWorkers(2)
                .timeout(120)
                .build();

        // The alarm topic, encrypted with a key of our own: CloudWatch and EventBridge can publish
        // to an encrypted topic only if the key's policy lets them (not so with alias/aws/sns).
        Key alarmKey = Key.Builder.create(stack, "AlarmTopicKey")
                .description("Encrypts the orders pipeline alarm topic")
                .enableKeyRotation(true)
                .build();
        Topic alarmTopic = Topic.Builder.create(stack, "AlarmTopic")
                .masterKey(alarmKey)
                .enforceSsl(true)
                .build();
        // The alarms of this account may publish to the topic and use its key (no confused deputy).
        alarmTopic.grantPublish(new ServicePrincipal("cloudwatch.amazonaws.com", ServicePrincipalOpts.builder()
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                .build()));

        GlueOrchestratedPipeline.Builder.create(stack, "OrdersPipeline")
                .steps(List.of(
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("extract")
                                .job(GlueJob.fromName("extract-orders"))
                                .arguments(Map.of("--source", "orders", "--since-days", "1"))
                                .timeout(Duration.minutes(30))
                                .build()),
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("transform")
                                .job(GlueJob.fromCfnJob(transform))
                                .workerType(WorkerType.G_2_X)
                                .numberOfWorkers(10)
                                .build()),
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("load")
                                .job(GlueJob.fromName("load-orders-warehouse"))
                                .executionClass(ExecutionClass.FLEX)
                                .arguments(Map.of("--target", "warehouse.orders"))
                                .build())))
                .failureEmail(FailureEmailOptions.builder()
                        .sender("pipelines@example.com")
                        .recipients(List.of("data-team@example.com"))
                        .build())
                .notificationTopic(alarmTopic)
                .alarms(PipelineAlarmsOptions.builder()
                        .alarmActions(List.of(new SnsAction(alarmTopic)))
                        .noSuccessWithin(Duration.days(1))
                        .build())
                .dashboard(PipelineDashboardOptions.builder()
                        .dashboardName("orders-pipeline")
                        .build())
                .build();
        return stack;
    }

    /** Two extracts at once, a join that reads their run ids, a crawl of the result. */
    static Stack graphPipelineStack(final Construct scope, final String id, final StackProps props) {
        Stack stack = new Stack(scope, id, props);
        String runDate = StepValue.fromExecutionInput("runDate");
        GlueOrchestratedPipeline.Builder.create(stack, "Graph")
                .steps(List.of(
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("orders")
                                .job(GlueJob.fromName("extract-orders"))
                                .dependsOn(List.of())
                                .arguments(Map.of("--day", runDate))
                                .build()),
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("customers")
                                .job(GlueJob.fromName("extract-customers"))
                                .dependsOn(List.of())
                                .build()),
                        PipelineStep.glueJob(GlueJobStepProps.builder()
                                .stepName("join")
                                .job(GlueJob.fromName("join-orders"))
                                .dependsOn(List.of("orders", "customers"))
                                .arguments(Map.of(
                                        "--input", "s3://lake/orders/day=" + runDate + "/",
                                        "--orders-run", StepValue.fromStepResult("orders", "jobRunId")))
                                .build()),
                        PipelineStep.glueCrawler(GlueCrawlerStepProps.builder()
                                .stepName("catalog")
                                .crawlerName("joined-orders-crawler")
                                .dependsOn(List.of("join"))
                                .build())))
                .build();
        return stack;
    }

    public static void main(final String[] args) {
        App app = new App();
        StackProps props = StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build();
        ordersPipelineStack(app, "OrdersPipeline", props);
        graphPipelineStack(app, "GraphPipeline", props);
        app.synth();
    }

    private ConsumerApp() {
    }
}
