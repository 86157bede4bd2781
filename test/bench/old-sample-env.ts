/**
 * The environment the old-sample runner reads on each invocation, plus a region and dummy
 * credentials so no call can leave the machine signed as anyone.
 */
import { RunnerEnv } from '../../src/shared/contract';

export const ACTIVITY_ARN = 'arn:aws:states:us-east-1:111122223333:activity:old-sample-test';
export const TABLE_NAME = 'old-sample-tracking-test';
export const PIPELINE_ID = 'nightly-etl';

process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTEST';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
process.env[RunnerEnv.ACTIVITY_ARN] = ACTIVITY_ARN;
process.env[RunnerEnv.TRACKING_TABLE] = TABLE_NAME;
process.env[RunnerEnv.PIPELINE_ID] = PIPELINE_ID;
