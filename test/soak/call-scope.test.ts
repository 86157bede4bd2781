import { attemptKey, ScopeLookup, scopeKey, scopeOf } from '../../soak/call-scope';
import { AttemptRef, CallScope, ServiceName } from '../../soak/fault-plan';

const A: AttemptRef = { execution: 2, step: 's3_job', attempt: 1 };
const B: AttemptRef = { execution: 0, step: 's1_workflow', attempt: 2 };

const lookup: ScopeLookup = {
  attemptOfToken: (token) => (token === 'AQCtoken-a' ? A : undefined),
  attemptOfTokenId: (id) => ({ 'id-a': A, 'id-b': B } as Record<string, AttemptRef>)[id],
  correlationOfJobRun: (runId) => (runId === 'jr_1' ? 'id-a' : undefined),
  correlationOfWorkflowRun: (runId) => (runId === 'wr_1' ? 'id-b' : undefined),
  latestAttempt: (arn, step) => (arn === 'arn:exec:2' && step === 's3_job' ? A : undefined),
};

const mail = new URLSearchParams({
  'Action': 'SendEmail',
  'Message.Body.Text.Data': 'Step "s3_job" of pipeline p failed.\n\nExecution:    arn:exec:2\n',
}).toString();

test.each<[string, ServiceName, string, string, CallScope]>([
  ['a heartbeat, by its token', 'sfn', 'SendTaskHeartbeat', JSON.stringify({ taskToken: 'AQCtoken-a' }), { attempt: A }],
  ['the intent write, by its sort key', 'dynamodb', 'PutItem', JSON.stringify({ Item: { sk: { S: 'task#id-a' } } }), { attempt: A }],
  ['a record update, by its key', 'dynamodb', 'UpdateItem', JSON.stringify({ Key: { sk: { S: 'task#id-b' } } }), { attempt: B }],
  ['a results write, which names no task', 'dynamodb', 'PutItem', JSON.stringify({ Item: { sk: { S: 'result#s1' } } }), 'global'],
  ['a table query', 'dynamodb', 'Query', '{}', 'global'],
  ['StartJobRun, by its correlation argument', 'glue', 'StartJobRun', JSON.stringify({ JobName: 'job-3', Arguments: { '--glue-orchestrated-pipeline-task': 'id-a' } }), { attempt: A }],
  ['GetJobRun, by the run\'s correlation', 'glue', 'GetJobRun', JSON.stringify({ JobName: 'job-3', RunId: 'jr_1' }), { attempt: A }],
  ['GetJobRuns, by its job', 'glue', 'GetJobRuns', JSON.stringify({ JobName: 'job-3' }), { resource: 'job-3' }],
  ['StartWorkflowRun, by its run property', 'glue', 'StartWorkflowRun', JSON.stringify({ Name: 'workflow-1', RunProperties: { 'glue-orchestrated-pipeline-task': 'id-b' } }), { attempt: B }],
  ['GetWorkflowRun, by the run\'s correlation', 'glue', 'GetWorkflowRun', JSON.stringify({ Name: 'workflow-1', RunId: 'wr_1' }), { attempt: B }],
  ['StartCrawler, by its crawler', 'glue', 'StartCrawler', JSON.stringify({ Name: 'crawler-2' }), { resource: 'crawler-2' }],
  ['a failure mail, by the execution and step it names', 'ses', 'SendEmail', mail, { attempt: A }],
  ['GetActivityTask', 'sfn', 'GetActivityTask', JSON.stringify({ activityArn: 'arn' }), 'global'],
  ['a body that is not JSON', 'sfn', 'SendTaskSuccess', 'not json', 'global'],
])('GIVEN %s WHEN scoped THEN its scope is the one it names', (_what, service, op, body, scope) => {
  expect(scopeOf(service, op, body, lookup)).toEqual(scope);
});

test('GIVEN scopes WHEN keyed THEN each has its own key', () => {
  expect(new Set([scopeKey('global'), scopeKey({ resource: 'job-1' }), scopeKey({ attempt: A }), scopeKey({ attempt: B })]).size).toBe(4);
  expect(attemptKey(A)).toBe('execution 2 s3_job#1');
});
