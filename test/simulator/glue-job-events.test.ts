import { jobStateChange } from '../../simulator/local-aws/glue-job-events';
import { JobRunState } from '../../simulator/local-aws/glue-service';

test.each<[JobRunState, boolean]>([
  ['SUCCEEDED', true], ['FAILED', true], ['TIMEOUT', true], ['STOPPED', true],
  ['ERROR', false], ['EXPIRED', false],
  ['STARTING', false], ['RUNNING', false], ['STOPPING', false], ['WAITING', false],
])('GIVEN a run reaching %s WHEN Glue announces it THEN a "Glue Job State Change" is sent: %s', (state, sent) => {
  // WHEN
  const detail = jobStateChange('etl', 'jr_1', state);
  // THEN
  expect(detail).toEqual(sent ? expect.objectContaining({ jobName: 'etl', jobRunId: 'jr_1', state }) : undefined);
});
