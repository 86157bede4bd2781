export * from './constructs/failure-email';
export * from './constructs/glue-orchestrated-pipeline';
export * from './constructs/pipeline-step';
export * from './constructs/step-errors';
export * from './constructs/step-value';
