// What the example turns on to be operated (examples/orders-pipeline-stack.ts), as its template
// must show it: the alarms and the dashboard, the encrypted topic they and the failure events
// go to, and a key policy that lets CloudWatch and EventBridge use that key (docs/aws-assumptions.md,
// "Publishing to an encrypted SNS topic").

/** The account examples/app.ts deploys to. */
const ACCOUNT = '123456789012';

/** The pipeline's alarms (src/constructs/operations/alarms.ts), by the metric each watches. */
const ALARM_METRICS = ['ExecutionsFailed', 'RunnerErrors', 'NotificationFailures', 'ExecutionsSucceeded'];

const DASHBOARD_NAME = 'orders-pipeline';
const KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

const asArray = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const refersTo = (value, id) => JSON.stringify(value) === JSON.stringify({ Ref: id });

/** The statements of `document` that allow `action` (all of them, if an array) to the service `service`. */
function allowing(document, service, actions) {
  return asArray(document?.Statement).filter((s) => s.Effect === 'Allow'
    && asArray(s.Principal?.Service).includes(service)
    && asArray(actions).every((action) => asArray(s.Action).includes(action)));
}

/** Problems with the example's operations, in the template's `resources`; empty when all is there. */
function operationsProblems(resources) {
  const problems = [];
  const ofType = (type) => Object.entries(resources).filter(([, r]) => r.Type === type);

  const topics = ofType('AWS::SNS::Topic');
  if (topics.length !== 1) return [`expected one SNS topic (the alarm topic), found ${topics.length}`];
  const [topicId, topic] = topics[0];

  // The topic is encrypted with a customer managed key of the template, rotated.
  const keyId = topic.Properties?.KmsMasterKeyId?.['Fn::GetAtt']?.[0];
  const key = resources[keyId];
  if (key?.Type !== 'AWS::KMS::Key') {
    problems.push(`topic ${topicId} is not encrypted with a KMS key of the template (KmsMasterKeyId ${JSON.stringify(topic.Properties?.KmsMasterKeyId)})`);
  } else {
    if (key.Properties.EnableKeyRotation !== true) problems.push(`key ${keyId} is not rotated`);
    const keyPolicy = key.Properties.KeyPolicy;
    // CloudWatch: only for this account's alarms (aws:SourceAccount).
    const cloudwatch = allowing(keyPolicy, 'cloudwatch.amazonaws.com', KMS_ACTIONS);
    if (!cloudwatch.some((s) => s.Condition?.StringEquals?.['aws:SourceAccount'] === ACCOUNT)) {
      problems.push(`key ${keyId}'s policy does not allow cloudwatch.amazonaws.com ${KMS_ACTIONS.join(', ')} on condition aws:SourceAccount = ${ACCOUNT}`);
    }
    // EventBridge: with no aws:Source* condition, which AWS does not support for it.
    const events = allowing(keyPolicy, 'events.amazonaws.com', KMS_ACTIONS);
    if (!events.some((s) => !/aws:Source/.test(JSON.stringify(s.Condition ?? {})))) {
      problems.push(`key ${keyId}'s policy does not allow events.amazonaws.com ${KMS_ACTIONS.join(', ')} (without aws:Source* conditions)`);
    }
  }

  // The topic's policy lets both services publish (it replaces SNS's default policy).
  const topicPolicies = ofType('AWS::SNS::TopicPolicy').filter(([, p]) => asArray(p.Properties.Topics).some((t) => refersTo(t, topicId)));
  const topicStatements = { Statement: topicPolicies.flatMap(([, p]) => asArray(p.Properties.PolicyDocument.Statement)) };
  for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
    if (allowing(topicStatements, service, 'sns:Publish').length === 0) problems.push(`topic ${topicId}'s policy does not let ${service} publish`);
  }

  // Every alarm of the pipeline, each notifying the topic.
  const alarms = ofType('AWS::CloudWatch::Alarm');
  for (const metric of ALARM_METRICS) {
    const alarm = alarms.find(([, a]) => a.Properties.MetricName === metric);
    if (!alarm) {
      problems.push(`no alarm on ${metric}`);
    } else if (!asArray(alarm[1].Properties.AlarmActions).some((action) => refersTo(action, topicId))) {
      problems.push(`alarm ${alarm[0]} (${metric}) does not notify topic ${topicId}`);
    }
  }

  // The dashboard, by its name, showing every alarm's status.
  const dashboard = ofType('AWS::CloudWatch::Dashboard').find(([, d]) => d.Properties.DashboardName === DASHBOARD_NAME);
  if (!dashboard) {
    problems.push(`no dashboard named ${DASHBOARD_NAME}`);
  } else {
    const body = JSON.stringify(dashboard[1].Properties.DashboardBody);
    for (const [alarmId] of alarms) {
      if (!body.includes(JSON.stringify({ 'Fn::GetAtt': [alarmId, 'Arn'] }))) problems.push(`dashboard ${DASHBOARD_NAME} does not show alarm ${alarmId}`);
    }
  }

  // The pipeline's failure events go to the same topic.
  const failureRule = ofType('AWS::Events::Rule').find(([, r]) => asArray(r.Properties.EventPattern?.['detail-type']).includes('Glue Pipeline Step Failed')
    && asArray(r.Properties.Targets).some((t) => refersTo(t.Arn, topicId)));
  if (!failureRule) problems.push(`no rule sends the pipeline's failure events (Glue Pipeline Step Failed) to topic ${topicId}`);

  return problems;
}

/** One line on what was found. */
function operationsSummary(resources) {
  const count = (type) => Object.values(resources).filter((r) => r.Type === type).length;
  return `${count('AWS::CloudWatch::Alarm')} alarms and dashboard ${DASHBOARD_NAME}, notifying an SNS topic encrypted with its own key, `
    + 'which the failure events reach too';
}

module.exports = { operationsProblems, operationsSummary };
