import { AttemptRef, CallScope, ServiceName } from './fault-plan';
import { CORRELATION_ARGUMENT, CORRELATION_RUN_PROPERTY } from '../src/shared/contract';

/** What the soak knows about the simulation's tasks and runs, to tell which attempt a call is about. */
export interface ScopeLookup {
  /** The attempt a task token (or its hash, `tokenId`) belongs to. */
  attemptOfToken(token: string): AttemptRef | undefined;
  attemptOfTokenId(tokenId: string): AttemptRef | undefined;
  /** The correlation (token hash) a job run or a workflow run carries. */
  correlationOfJobRun(runId: string): string | undefined;
  correlationOfWorkflowRun(runId: string): string | undefined;
  /** The latest attempt of a step of an execution (by its ARN): what a failure mail is about. */
  latestAttempt(executionArn: string, step: string): AttemptRef | undefined;
}

/**
 * Which attempt, Glue resource or neither a runner call is about, from its operation and body.
 * Pure. Calls that name a task (by token, token hash, correlated run id or failure mail) are
 * scoped to its attempt; Glue reads and starts that name only a resource to that resource.
 */
export function scopeOf(service: ServiceName, op: string, body: string, lookup: ScopeLookup): CallScope {
  const attempt = attemptOf(service, op, body, lookup);
  if (attempt) {
    return { attempt };
  }
  if (service === 'glue') {
    const json = parse(body);
    const resource = str(json.JobName) ?? str(json.Name);
    if (resource) {
      return { resource };
    }
  }
  return 'global';
}

function attemptOf(service: ServiceName, op: string, body: string, lookup: ScopeLookup): AttemptRef | undefined {
  if (service === 'ses') {
    const text = new URLSearchParams(body).get('Message.Body.Text.Data') ?? '';
    const step = /^Step "([^"]+)"/m.exec(text)?.[1];
    const execution = /^Execution:\s+(\S+)/m.exec(text)?.[1];
    return step && execution ? lookup.latestAttempt(execution, step) : undefined;
  }
  const json = parse(body);
  if (service === 'sfn') {
    const token = str(json.taskToken);
    return token ? lookup.attemptOfToken(token) : undefined;
  }
  if (service === 'dynamodb') {
    const key = (json.Item ?? json.Key) as Record<string, { S?: string }> | undefined;
    const sk = key?.sk?.S;
    return sk?.startsWith('task#') ? lookup.attemptOfTokenId(sk.slice('task#'.length)) : undefined;
  }
  const byCorrelation = (id: string | undefined) => (id ? lookup.attemptOfTokenId(id) : undefined);
  switch (op) {
    case 'StartJobRun': return byCorrelation((json.Arguments as Record<string, string> | undefined)?.[CORRELATION_ARGUMENT]);
    case 'GetJobRun': return byCorrelation(lookup.correlationOfJobRun(str(json.RunId) ?? ''));
    case 'BatchStopJobRun': return byCorrelation(lookup.correlationOfJobRun(String((json.JobRunIds as string[] | undefined)?.[0] ?? '')));
    case 'StartWorkflowRun': return byCorrelation((json.RunProperties as Record<string, string> | undefined)?.[CORRELATION_RUN_PROPERTY]);
    case 'GetWorkflowRun':
    case 'StopWorkflowRun': return byCorrelation(lookup.correlationOfWorkflowRun(str(json.RunId) ?? ''));
    default: return undefined;
  }
}

/** A stable key of a scope, for counting calls in it. */
export function scopeKey(scope: CallScope): string {
  if (scope === 'global') {
    return 'global';
  }
  if ('resource' in scope) {
    return `resource:${scope.resource}`;
  }
  return attemptKey(scope.attempt);
}

export function attemptKey(a: AttemptRef): string {
  return `execution ${a.execution} ${a.step}#${a.attempt}`;
}

function parse(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body);
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
