// cdk-nag's AwsSolutions pack on a synthesized template: the template is read back into a stack
// (cloudformation-include) and checked as written, with the suppressions its resources carry
// in their `cdk_nag` metadata.
const path = require('path');
const { App, Aspects, DefaultStackSynthesizer, Stack } = require('aws-cdk-lib');
const { Annotations, Match } = require('aws-cdk-lib/assertions');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks } = require('cdk-nag');

/** The unsuppressed AwsSolutions findings (errors and warnings) of `templateFile`, as "<logical id>: <rule>". */
function nagFindings(templateFile, env) {
  // No bootstrap version rule: the template already has its parameter.
  const stack = new Stack(new App(), 'Checked', { env, synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  new CfnInclude(stack, 'Template', { templateFile: path.resolve(templateFile) });
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((a) => `${a.id.split('/').pop()}: ${String(a.entry.data).split(':')[0]}`).sort();
}

module.exports = { nagFindings };
