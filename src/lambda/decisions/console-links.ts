import { LogStreamSpec, STEP_KIND_SPECS, StepKind } from '../../shared/contract';
import type { StepFailureLinks } from '../../shared/pipeline-events';

/**
 * The AWS console host of each partition whose console is public. AWS documents no URL format
 * for console pages: the paths are those the consoles use (see docs/aws-assumptions.md).
 */
const CONSOLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  'aws': (region) => `https://${region}.console.aws.amazon.com`,
  'aws-cn': () => 'https://console.amazonaws.cn',
  'aws-us-gov': () => 'https://console.amazonaws-us-gov.com',
};

/** Where a failed step attempt can be looked at. */
export interface FailureWhere {
  /** The execution's ARN: its partition and region are those of the pages. */
  readonly executionArn?: string;
  readonly kind?: StepKind;
  readonly resourceName?: string;
  readonly runId?: string;
}

/**
 * The console pages of a failed step attempt: its Glue run or resource and its log streams, as
 * its kind's specification places them (`console`), and its execution. Pure; no link without the
 * execution's ARN (no region) or in a partition without a known console, and none that would
 * need a run id or a name the failure lacks.
 */
export function failureLinks(where: FailureWhere): StepFailureLinks {
  const arn = /^arn:([a-z-]+):states:([a-z0-9-]+):\d{12}:execution:/.exec(where.executionArn ?? '');
  const host = arn ? CONSOLE_HOSTS[arn[1]] : undefined;
  if (!arn || !host) {
    return {};
  }
  const region = arn[2];
  const page = (service: string, fragment: string) => `${host(region)}/${service}/home?region=${region}#${fragment}`;
  const execution = page('states', `/v2/executions/details/${where.executionArn}`);
  const spec = where.kind && STEP_KIND_SPECS[where.kind].console;
  const { resourceName: name, runId } = where;
  if (!spec || name === undefined) {
    return { execution };
  }
  const logs = (stream: LogStreamSpec | undefined) => {
    const streamName = stream?.streamNamedBy === 'runId' ? runId : name;
    return stream && streamName !== undefined
      ? page('cloudwatch', `logsV2:log-groups/log-group/${consoleFragment(stream.group)}/log-events/${consoleFragment(streamName)}`)
      : undefined;
  };
  const needsRun = spec.page.fragment.includes('{runId}');
  return withoutUndefined({
    glue: needsRun && runId === undefined ? undefined : page(spec.page.console, spec.page.fragment
      .replace('{name}', encodeURIComponent(name))
      .replace('{runId}', encodeURIComponent(runId ?? ''))),
    execution,
    logs: logs(spec.logs?.output),
    errorLogs: logs(spec.logs?.error),
  });
}

/**
 * A log group or stream name as the CloudWatch console writes it in its URL fragment:
 * URL-encoded, then each `%` written `$25` (so `/` reads `$252F`).
 */
function consoleFragment(name: string): string {
  return encodeURIComponent(name).replace(/%/g, '$25');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
