// Checks what `npx projen synth:example` wrote: the six resources, a state machine definition
// that passes asl-validator, HeartbeatSeconds/TimeoutSeconds on every activity state, the alarms,
// the dashboard and the encrypted topic they notify, and cdk-nag's AwsSolutions pack on the
// template itself (only the app's own Glue job has findings).
const fs = require('fs');
const path = require('path');
const aslValidator = require('asl-validator');
const { nagFindings } = require('./example-template/cdk-nag');
const { operationsProblems, operationsSummary } = require('./example-template/operations');

const file = path.join(__dirname, '..', 'examples', 'cdk.out', 'OrdersPipeline.template.json');
const template = JSON.parse(fs.readFileSync(file, 'utf8'));
const resources = template.Resources;
const problems = [];

const wanted = ['AWS::StepFunctions::Activity', 'AWS::StepFunctions::StateMachine', 'AWS::DynamoDB::Table',
  'AWS::SES::EmailIdentity', 'AWS::Lambda::Function', 'AWS::Events::Rule'];
for (const type of wanted) {
  if (!Object.values(resources).some((r) => r.Type === type)) problems.push(`no ${type}`);
}

const [machine] = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
const body = machine.Properties.DefinitionString;
const parts = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
const asl = JSON.parse(parts.map((p) => {
  if (typeof p === 'string') return p;
  if (p.Ref && resources[p.Ref].Type === 'AWS::StepFunctions::Activity') return `arn:aws:states:us-east-1:123456789012:activity:${p.Ref}`;
  return p.Ref || 'token';
}).join(''));

const { isValid, errorsText } = aslValidator(asl);
if (!isValid) problems.push(`definition is not valid ASL: ${errorsText('; ')}`);
for (const [name, state] of Object.entries(asl.States)) {
  if (state.Type === 'Task' && String(state.Resource).includes(':activity:')
    && !(state.HeartbeatSeconds > 0 && state.TimeoutSeconds > state.HeartbeatSeconds)) {
    problems.push(`activity state ${name} lacks HeartbeatSeconds < TimeoutSeconds`);
  }
}

problems.push(...operationsProblems(resources));

// The app's own job has no Glue security configuration (GL1, GL3): the app's business, not the
// library's. Anything else is a finding to fix.
const expectedFindings = ['TransformOrders: AwsSolutions-GL1', 'TransformOrders: AwsSolutions-GL3'];
const findings = nagFindings(file, { account: '123456789012', region: 'us-east-1' });
const unexpected = findings.filter((f) => !expectedFindings.includes(f));
if (unexpected.length) problems.push(`cdk-nag AwsSolutions findings: ${unexpected.join(', ')}`);

if (problems.length) {
  console.error(`examples/cdk.out: ${problems.join('; ')}`);
  process.exit(1);
}
const states = Object.keys(asl.States);
console.log(`examples/cdk.out: OK, ${Object.keys(resources).length} resources; states ${states.join(' -> ')}, each with heartbeat and timeout; ASL valid; `
  + `${operationsSummary(resources)}; cdk-nag AwsSolutions: no findings but the app's own job's (${expectedFindings.join(', ')})`);
