#!/usr/bin/env bash
# Installs the packed npm tarball into a fresh CDK app outside the repository, type-checks the
# app against the published typings, synthesizes a pipeline, and checks the template.
# Run after `npx projen package:js` (the build does it).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tarball=$(ls "$root"/dist/js/glue-orchestrated-pipeline@*.jsii.tgz 2>/dev/null | head -n 1 || true)   # not the testing kit's
if [ -z "$tarball" ]; then
  echo "smoke-install: no tarball in dist/js; run 'npx projen package:js' first" >&2
  exit 1
fi
floor=$(node -p "require('$root/package.json').devDependencies['aws-cdk-lib']")
constructs=$(node -p "require('$root/package.json').devDependencies['constructs']")

app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
cd "$app"
echo "smoke-install: fresh app in a temporary directory; installing $(basename "$tarball") with aws-cdk-lib@$floor"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tarball" "aws-cdk-lib@$floor" "constructs@$constructs" >/dev/null

# The command shipped in the package: on the PATH of the app, running from lib/ with the bundled SDK client.
help=$(npx --no-install glue-pipeline backfill --help)
case "$help" in
  *"Usage: glue-pipeline backfill"*) ;;
  *) echo "smoke-install: glue-pipeline backfill --help did not print its usage" >&2; exit 1 ;;
esac
set +e
npx --no-install glue-pipeline backfill --from 2026-11-02 --to 2026-11-01 >/dev/null 2>&1
code=$?
set -e
if [ "$code" != 2 ]; then
  echo "smoke-install: glue-pipeline with a bad command line exited $code, not 2 (usage error)" >&2
  exit 1
fi
echo "smoke-install: glue-pipeline backfill runs from the installed package"

cat > app.ts <<'TS'
import { App, Stack } from 'aws-cdk-lib';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep, WorkerType } from 'glue-orchestrated-pipeline';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'SmokeStack', { env: { account: '123456789012', region: 'eu-west-1' } });
new GlueOrchestratedPipeline(stack, 'Pipeline', {
  steps: [
    PipelineStep.glueJob({ job: GlueJob.fromName('first-job'), arguments: { '--day': '2026-11-24' } }),
    PipelineStep.glueJob({ job: GlueJob.fromName('second-job'), workerType: WorkerType.G_1X, numberOfWorkers: 2 }),
  ],
  failureEmail: { sender: 'pipelines@example.com', recipients: ['team@example.com'] },
});
app.synth();
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true, "types": [] } }
JSON
"$root/node_modules/.bin/tsc" -p . 
node app.js

node - <<'JS'
const fs = require('fs');
const template = JSON.parse(fs.readFileSync('cdk.out/SmokeStack.template.json', 'utf8'));
const types = Object.values(template.Resources).map((r) => r.Type);
const want = ['AWS::StepFunctions::Activity', 'AWS::StepFunctions::StateMachine', 'AWS::DynamoDB::Table',
  'AWS::SES::EmailIdentity', 'AWS::Lambda::Function', 'AWS::Events::Rule'];
const missing = want.filter((t) => !types.includes(t));
if (missing.length) {
  console.error(`smoke-install: template lacks ${missing.join(', ')}`);
  process.exit(1);
}
const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
const manifest = JSON.parse(fs.readFileSync('cdk.out/SmokeStack.assets.json', 'utf8'));
const asset = manifest.files[fn.Properties.Code.S3Key.replace('.zip', '')];
const assetDir = `cdk.out/${asset.source.path}`;
const bundle = fs.readFileSync(`${assetDir}/index.js`, 'utf8');
if (!bundle.includes('GetActivityTask')) {
  console.error(`smoke-install: the runner asset in ${assetDir} does not look like the bundled runner`);
  process.exit(1);
}
console.log(`smoke-install: OK, ${types.length} resources synthesized, runner asset ${(bundle.length / 1024).toFixed(0)} KiB`);
JS
