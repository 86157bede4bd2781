/**
 * The AWS limits a synthesized pipeline can break, each as AWS documents it. Sources are listed
 * in docs/aws-assumptions.md; a number AWS does not publish is not here.
 */
export const AwsLimits = {
  /** EventBridge: characters in one event pattern (default quota; adjustable). */
  EVENT_PATTERN_CHARACTERS: 2_048,
  /** EventBridge: targets of one rule. */
  TARGETS_PER_RULE: 5,
  /** Step Functions: size of a state machine definition (hard quota: 1 MB). */
  DEFINITION_BYTES: 1_048_576,
  /** Step Functions: events in one execution's history; the execution fails past it. */
  EXECUTION_HISTORY_EVENTS: 25_000,
  /** CloudFormation: resources declared in one stack. */
  STACK_RESOURCES: 500,
  /**
   * CloudFormation: a template body passed in an S3 object ("1 MB"), which is how the CDK CLI
   * deploys a template over 50 KB. Read as 1,000,000 bytes, the smaller reading of "1 MB" and
   * the figure the CDK itself warns at.
   */
  TEMPLATE_BYTES: 1_000_000,
  /** SES: recipients of one message (To, CC and BCC together). */
  RECIPIENTS_PER_MESSAGE: 50,
  /** Lambda: all environment variables of a function together ("4 KB"). */
  LAMBDA_ENVIRONMENT_BYTES: 4_096,
  /** IAM: all inline policies of one role together, non-whitespace characters. */
  ROLE_INLINE_POLICY_CHARACTERS: 10_240,
  /** IAM: one managed policy, non-whitespace characters. */
  MANAGED_POLICY_CHARACTERS: 6_144,
  /** IAM: managed policies attached to one role (default quota; adjustable to 20). */
  MANAGED_POLICIES_PER_ROLE: 10,
  /** Glue: the longest name of a job, crawler, trigger or workflow. */
  GLUE_NAME_CHARACTERS: 255,
  /** Step Functions: the longest name of a state machine or an activity. */
  STATES_NAME_CHARACTERS: 80,
  /** DynamoDB: the longest table name. */
  TABLE_NAME_CHARACTERS: 255,
  /** Lambda: the longest function name. */
  FUNCTION_NAME_CHARACTERS: 64,
  /** CloudWatch Logs: the longest log group name. */
  LOG_GROUP_NAME_CHARACTERS: 512,
  /** AWS account ids are 12 digits. */
  ACCOUNT_ID_CHARACTERS: 12,
  /** CloudWatch: actions of one alarm for one state (ALARM, OK or INSUFFICIENT_DATA). */
  ALARM_ACTIONS: 5,
  /** CloudWatch: an alarm's period times its evaluation periods, in seconds (one day). */
  ALARM_EVALUATION_SECONDS: 86_400,
  /** CloudWatch: widgets on one dashboard. */
  DASHBOARD_WIDGETS: 500,
  /** CloudWatch: metrics on one dashboard widget. */
  METRICS_PER_WIDGET: 500,
  /** CloudWatch: metrics on one dashboard, across all its widgets. */
  DASHBOARD_METRICS: 2_500,
  /** IAM, EventBridge and most services: the longest ARN they accept. */
  ARN_CHARACTERS: 2_048,
} as const;
