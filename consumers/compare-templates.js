#!/usr/bin/env node
// Compares the templates the consumers synthesized with the TypeScript ones:
//   node consumers/compare-templates.js <reference cdk.out> <cdk.out of a language> [<stack> ...]
// For each stack: the same resources (type and logical id without its hash suffix), the same
// state machine definition (parsed; references to other resources by their ids), the same
// runner Lambda (environment, runtime, handler, timeout, memory), and every other property
// equal, modulo asset hashes (64 hex digits) and the hash suffixes of logical ids. CDKMetadata
// (which names the language) and Metadata sections are left out. Exits 1 on any difference.
const fs = require('fs');
const path = require('path');

const [referenceDir, candidateDir, ...stackArgs] = process.argv.slice(2);
if (!referenceDir || !candidateDir) {
  console.error('usage: compare-templates.js <reference cdk.out> <candidate cdk.out> [<stack> ...]');
  process.exit(1);
}
const stacks = stackArgs.length ? stackArgs : ['OrdersPipeline'];

/** `OrdersPipelineRunnerA1B2C3D4` -> `OrdersPipelineRunner` (the suffix hashes the construct path). */
const stripHash = (id) => id.replace(/[0-9A-F]{8}$/, '');

function normalize(value, ids) {
  if (typeof value === 'string') {
    let text = value.replace(/[0-9a-f]{64}/g, '<asset-hash>');
    for (const [id, plain] of ids) text = text.split(id).join(plain);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, ids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [normalize(k, ids), normalize(value[k], ids)]));
  }
  return value;
}

function load(dir, stack) {
  const file = path.join(dir, `${stack}.template.json`);
  if (!fs.existsSync(file)) throw new Error(`no template ${file}`);
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  const resources = Object.fromEntries(Object.entries(template.Resources)
    .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
    .map(([id, r]) => [id, { ...r, Metadata: undefined }]));
  // Longest ids first, so that an id that is a prefix of another is not replaced inside it.
  const ids = Object.keys(template.Resources).sort((a, b) => b.length - a.length).map((id) => [id, stripHash(id)]);
  const normalized = normalize(resources, ids);
  const byType = (type) => Object.values(normalized).filter((r) => r.Type === type);
  const [machine] = byType('AWS::StepFunctions::StateMachine');
  return { file, resources: normalized, machine, functions: byType('AWS::Lambda::Function') };
}

/** The definition as one JSON document: the Fn::Join's references written as ${...}. */
function definitionOf(machine) {
  const body = machine.Properties.DefinitionString;
  const parts = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  const token = (p) => (p.Ref ? p.Ref : p['Fn::GetAtt'] ? p['Fn::GetAtt'].join('.') : JSON.stringify(p).replace(/"/g, "'"));
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `\${${token(p)}}`)).join(''));
}

/** Paths at which two values differ (at most `limit`). */
function differences(a, b, at = '', out = [], limit = 10) {
  if (out.length >= limit) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[key], b[key], `${at}/${key}`, out, limit);
    return out;
  }
  out.push(`${at || '/'}: ${JSON.stringify(a)?.slice(0, 160)} vs ${JSON.stringify(b)?.slice(0, 160)}`);
  return out;
}

let failed = false;
for (const stack of stacks) {
  const ref = load(referenceDir, stack);
  const cand = load(candidateDir, stack);
  const checks = [];
  const refIds = Object.keys(ref.resources).sort();
  const candIds = Object.keys(cand.resources).sort();
  checks.push(['resources', differences(refIds.map((id) => `${ref.resources[id].Type} ${id}`), candIds.map((id) => `${cand.resources[id].Type} ${id}`)),
    `${refIds.length} resources`]);
  const refDef = definitionOf(ref.machine);
  checks.push(['state machine definition', differences(refDef, definitionOf(cand.machine)), `${Object.keys(refDef.States).length} top-level states`]);
  const runner = (fns) => fns.map((f) => ({ env: f.Properties.Environment, runtime: f.Properties.Runtime, handler: f.Properties.Handler,
    timeout: f.Properties.Timeout, memory: f.Properties.MemorySize, code: f.Properties.Code }));
  const refEnv = ref.functions[0]?.Properties.Environment?.Variables ?? {};
  checks.push(['runner Lambda', differences(runner(ref.functions), runner(cand.functions)),
    `${Object.keys(refEnv).length} environment variables, ${ref.functions[0]?.Properties.Runtime}`]);
  // The definition's text was compared parsed above: key order (a Go map, a Java Map.of) may differ.
  const withoutDefinition = (resources) => Object.fromEntries(Object.entries(resources).map(([id, r]) => [id,
    r.Type === 'AWS::StepFunctions::StateMachine' ? { ...r, Properties: { ...r.Properties, DefinitionString: undefined } } : r]));
  checks.push(['every other property', differences(withoutDefinition(ref.resources), withoutDefinition(cand.resources)), 'all properties']);
  for (const [what, diffs, summary] of checks) {
    if (diffs.length) {
      failed = true;
      console.error(`${candidateDir} ${stack}: ${what} differs from ${referenceDir}:\n  ${diffs.join('\n  ')}`);
    } else {
      console.log(`${path.basename(path.dirname(path.resolve(candidateDir)))} ${stack}: same ${what} (${summary})`);
    }
  }
}
process.exit(failed ? 1 : 0);
