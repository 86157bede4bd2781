export * from './constructs/capacity';
export * from './constructs/failure-email';
export * from './constructs/glue-job';
export * from './constructs/glue-orchestrated-pipeline';
export * from './constructs/pipeline-step';
export * from './constructs/step-errors';
