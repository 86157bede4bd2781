import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createPipelineAlarms } from './alarms';
import { createPipelineDashboard } from './dashboard';
import { PipelineAlarmsOptions, PipelineDashboardOptions } from './options';
import { GlueOrchestratedPipelineBase } from '../glue-orchestrated-pipeline-base';

/** What a pipeline's operations are made of. */
export interface OperationsOptions {
  readonly pipelineId: string;
  readonly stepNames: readonly string[];
  /** Whether some step has an expected duration: only then is a step ever late. */
  readonly lateSteps: boolean;
  readonly runner: lambda.IFunction;
  readonly alarms?: PipelineAlarmsOptions;
  readonly dashboard?: PipelineDashboardOptions;
}

/** The alarms and the dashboard a pipeline's props ask for, in the pipeline. */
export function addOperations(pipeline: GlueOrchestratedPipelineBase, options: OperationsOptions): {
  alarms: cloudwatch.Alarm[];
  dashboard?: cloudwatch.Dashboard;
} {
  const alarms = options.alarms ? createPipelineAlarms(pipeline, pipeline, options.alarms, options.lateSteps) : [];
  const dashboard = options.dashboard
    ? createPipelineDashboard(pipeline, 'Dashboard', { pipeline, ...options, alarms }, options.dashboard)
    : undefined;
  return { alarms, dashboard };
}
