// Construct Hub's listing rules, checked on the npm tarball a release publishes:
//   node scripts/check-construct-hub.js dist/js/glue-orchestrated-pipeline@<version>.jsii.tgz
// Construct Hub lists a package that has a `.jsii` assembly, one of the keywords it discovers
// packages by (`cdk`, `aws-cdk`, `awscdk`, `cdk8s`, `cdktf`), a license from its allow-list, and
// a README it renders; it shows the languages the assembly's targets name. The runner bundle in
// assets/ is this library's own rule: without it a user's synth fails.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const tarball = process.argv[2];
if (!tarball || !fs.existsSync(tarball)) {
  console.error('usage: check-construct-hub.js <npm tarball>');
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'construct-hub-'));
try {
  execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', dir]);
  const pkg = path.join(dir, 'package');
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  const problems = [];
  const keywords = ['cdk', 'aws-cdk', 'awscdk', 'cdk8s', 'cdktf'];
  if (!(manifest.keywords ?? []).some((k) => keywords.includes(k))) problems.push(`no keyword Construct Hub discovers by (${keywords.join(', ')})`);
  // Construct Hub's allow-list holds the common open-source SPDX licenses; Apache-2.0 and MIT among them.
  const licenses = ['Apache-2.0', 'MIT', 'MIT-0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'MPL-2.0', 'EPL-2.0'];
  if (!licenses.includes(manifest.license)) problems.push(`license ${manifest.license} is not on Construct Hub's allow-list`);
  if (!fs.existsSync(path.join(pkg, 'LICENSE'))) problems.push('no LICENSE file');
  const readme = path.join(pkg, 'README.md');
  if (!fs.existsSync(readme) || fs.statSync(readme).size < 1000) problems.push('no README.md (or an empty one)');
  const assemblyFile = path.join(pkg, '.jsii');
  let assembly;
  if (!fs.existsSync(assemblyFile)) {
    problems.push('no .jsii assembly');
  } else {
    assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
    if (assembly.version !== manifest.version) problems.push(`.jsii is version ${assembly.version}, package.json ${manifest.version}`);
    for (const target of ['python', 'java', 'dotnet', 'go']) {
      if (!assembly.targets?.[target]) problems.push(`.jsii names no ${target} target`);
    }
    if (!assembly.readme?.markdown) problems.push('.jsii carries no README');
  }
  if (manifest.types === undefined || !fs.existsSync(path.join(pkg, manifest.types))) problems.push('no type declarations');
  if (!fs.existsSync(path.join(pkg, 'assets', 'lambda', 'runner.lambda', 'index.js'))) problems.push('no runner bundle in assets/');
  if (problems.length) {
    console.error(`${path.basename(tarball)}: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log(`${path.basename(tarball)}: Construct Hub listing rules hold: keywords ${manifest.keywords.join(', ')}; license ${manifest.license} with LICENSE; `
    + `README.md; .jsii ${assembly.version} with ${Object.keys(assembly.types ?? {}).length} types and targets ${Object.keys(assembly.targets).join(', ')}; runner bundle in assets/`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
