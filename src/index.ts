export * from './constructs/failure-email';
export * from './constructs/glue-orchestrated-pipeline';
export { GlueOrchestratedPipelineBase } from './constructs/glue-orchestrated-pipeline-base';
export * from './constructs/operations/options';
export * from './constructs/pipeline-interface';
export * from './constructs/pipeline-step';
export * from './constructs/schedule/execution-schedule-options';
export * from './constructs/step-errors';
export * from './constructs/step-value';
