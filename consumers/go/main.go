// The example's orders pipeline and a small graph with references, from Go. The module is
// required at the released version and replaced by the built module (see consumers/run.sh,
// which writes the replace directive). Writes to CDK_OUTDIR.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	pipeline "github.com/glue-orchestrated-pipeline/glue-orchestrated-pipeline-go/glueorchestratedpipeline"
)

// NewOrdersPipelineStack is the TypeScript example (examples/orders-pipeline-stack.ts), line for line.
func NewOrdersPipelineStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, props)

	glueRole := awsiam.NewRole(stack, jsii.String("GlueRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
	})
	transform := awsglue.NewCfnJob(stack, jsii.String("TransformOrders"), &awsglue.CfnJobProps{
		Name:        jsii.String("transform-orders"),
		Role:        glueRole.RoleArn(),
		GlueVersion: jsii.String("5.0"),
		Command: &awsglue.CfnJob_JobCommandProperty{
			Name:           jsii.String("glueetl"),
			PythonVersion:  jsii.String("3"),
			ScriptLocation: jsii.String("s3://example-etl-scripts/transform_orders.py"),
		},
		WorkerType:      jsii.String("G.1X"),
		NumberOfWorkers: jsii.Number(2),
		Timeout:         jsii.Number(120),
	})

	// The alarm topic, encrypted with a key of our own: CloudWatch and EventBridge can publish
	// to an encrypted topic only if the key's policy lets them (not so with alias/aws/sns).
	alarmKey := awskms.NewKey(stack, jsii.String("AlarmTopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the orders pipeline alarm topic"),
		EnableKeyRotation: jsii.Bool(true),
	})
	alarmTopic := awssns.NewTopic(stack, jsii.String("AlarmTopic"), &awssns.TopicProps{
		MasterKey:  alarmKey,
		EnforceSSL: jsii.Bool(true),
	})
	// The alarms of this account may publish to the topic and use its key (no confused deputy).
	alarmTopic.GrantPublish(awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), &awsiam.ServicePrincipalOpts{
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceAccount": *stack.Account()}},
	}))

	pipeline.NewGlueOrchestratedPipeline(stack, jsii.String("OrdersPipeline"), &pipeline.GlueOrchestratedPipelineProps{
		Steps: &[]pipeline.PipelineStep{
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:  jsii.String("extract"),
				Job:       pipeline.GlueJob_FromName(jsii.String("extract-orders"), nil),
				Arguments: &map[string]*string{"--source": jsii.String("orders"), "--since-days": jsii.String("1")},
				Timeout:   awscdk.Duration_Minutes(jsii.Number(30)),
			}),
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:        jsii.String("transform"),
				Job:             pipeline.GlueJob_FromCfnJob(transform),
				WorkerType:      pipeline.WorkerType_G_2X(),
				NumberOfWorkers: jsii.Number(10),
			}),
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:       jsii.String("load"),
				Job:            pipeline.GlueJob_FromName(jsii.String("load-orders-warehouse"), nil),
				ExecutionClass: pipeline.ExecutionClass_FLEX,
				Arguments:      &map[string]*string{"--target": jsii.String("warehouse.orders")},
			}),
		},
		FailureEmail: &pipeline.FailureEmailOptions{
			Sender:     jsii.String("pipelines@example.com"),
			Recipients: jsii.Strings("data-team@example.com"),
		},
		NotificationTopic: alarmTopic,
		Alarms: &pipeline.PipelineAlarmsOptions{
			AlarmActions:    &[]awscloudwatch.IAlarmAction{awscloudwatchactions.NewSnsAction(alarmTopic)},
			NoSuccessWithin: awscdk.Duration_Days(jsii.Number(1)),
		},
		Dashboard: &pipeline.PipelineDashboardOptions{DashboardName: jsii.String("orders-pipeline")},
	})
	return stack
}

// NewGraphPipelineStack: two extracts at once, a join that reads their run ids, a crawl of the result.
func NewGraphPipelineStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, props)
	runDate := *pipeline.StepValue_FromExecutionInput(jsii.String("runDate"))
	pipeline.NewGlueOrchestratedPipeline(stack, jsii.String("Graph"), &pipeline.GlueOrchestratedPipelineProps{
		Steps: &[]pipeline.PipelineStep{
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:  jsii.String("orders"),
				Job:       pipeline.GlueJob_FromName(jsii.String("extract-orders"), nil),
				DependsOn: &[]*string{},
				Arguments: &map[string]*string{"--day": jsii.String(runDate)},
			}),
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:  jsii.String("customers"),
				Job:       pipeline.GlueJob_FromName(jsii.String("extract-customers"), nil),
				DependsOn: &[]*string{},
			}),
			pipeline.PipelineStep_GlueJob(&pipeline.GlueJobStepProps{
				StepName:  jsii.String("join"),
				Job:       pipeline.GlueJob_FromName(jsii.String("join-orders"), nil),
				DependsOn: jsii.Strings("orders", "customers"),
				Arguments: &map[string]*string{
					"--input":      jsii.String("s3://lake/orders/day=" + runDate + "/"),
					"--orders-run": pipeline.StepValue_FromStepResult(jsii.String("orders"), jsii.String("jobRunId")),
				},
			}),
			pipeline.PipelineStep_GlueCrawler(&pipeline.GlueCrawlerStepProps{
				StepName:    jsii.String("catalog"),
				CrawlerName: jsii.String("joined-orders-crawler"),
				DependsOn:   jsii.Strings("join"),
			}),
		},
	})
	return stack
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	env := &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")}
	NewOrdersPipelineStack(app, "OrdersPipeline", &awscdk.StackProps{Env: env})
	NewGraphPipelineStack(app, "GraphPipeline", &awscdk.StackProps{Env: env})
	app.Synth(nil)
}
