import { awscdk, javascript, release } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/**
 * aws-cdk-lib floor. 2.189.1 is the oldest release that has everything the construct uses:
 * `StepFunctionsInvokeActivity.parameters`, `EmailIdentity.grantSendEmail`, `Runtime.NODEJS_22_X`
 * and `pointInTimeRecoverySpecification`. The tests run against this exact version (it is the
 * devDependency), so the floor is proven, not assumed.
 */
const CDK_FLOOR = '2.189.1';

/**
 * The AWS SDK v3 clients the runner uses. Bundled into the Lambda asset, never package deps,
 * except the Step Functions client, which the `glue-pipeline` command needs at run time (below).
 */
const RUNNER_SDK = [
  '@aws-sdk/client-glue',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-ses',
  '@aws-sdk/client-eventbridge',
  '@smithy/node-http-handler',
];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'glue-orchestrated-pipeline',
  description: 'A CDK construct that turns a typed list of AWS Glue jobs into a Step Functions pipeline with a bundled runner, tracking table, schedule and failure email.',
  author: 'GlueOrchestratedPipeline maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/glue-orchestrated-pipeline/glue-orchestrated-pipeline.git',
  keywords: ['aws-cdk', 'cdk', 'glue', 'step-functions', 'etl', 'data-pipeline', 'orchestration'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_FLOOR,
  // constructs at the floor's own: aws-cdk-go v2.189.1 is built against constructs-go v10.4.2, and
  // with v10.5 (which adds `With`) its Go packages do not compile (ambiguous selector
  // jsiiProxy_EventBus.With), so a Go module requiring v10.5.1 could not be used at the floor.
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  minNodeVersion: '20.0.0',
  stability: 'experimental',

  // Other jsii targets. Their sources are generated offline by the `bindings` task on every
  // build, so a construct that breaks a binding fails here, not at release time.
  publishToPypi: {
    distName: 'glue-orchestrated-pipeline',
    module: 'glue_orchestrated_pipeline',
  },
  publishToMaven: {
    javaPackage: 'io.github.glueorchestratedpipeline',
    mavenGroupId: 'io.github.glue-orchestrated-pipeline',
    mavenArtifactId: 'glue-orchestrated-pipeline',
  },
  publishToNuget: {
    dotNetNamespace: 'GlueOrchestratedPipeline',
    packageId: 'GlueOrchestratedPipeline',
  },
  publishToGo: {
    moduleName: 'github.com/glue-orchestrated-pipeline/glue-orchestrated-pipeline-go',
  },

  // The runner: src/lambda/runner.lambda.ts -> src/lambda/runner-function.ts + assets/.
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    bundlingOptions: { externals: [], sourcemap: false },
  },

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/examples/cdk.out/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },

  // `glue-pipeline` (src/cli/, bin/glue-pipeline.js) runs from lib/ with the Step Functions client.
  // jsii allows only jsii modules in `dependencies` unless they are bundled: the client and its
  // own dependencies ship inside the tarball (bundleDependencies). The runner's bundle uses the same version.
  bundledDeps: ['@aws-sdk/client-sfn@^3.1164.0'],
  bin: { 'glue-pipeline': 'bin/glue-pipeline.js' },
  autoDetectBin: false,

  devDeps: [
    ...RUNNER_SDK,
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    'asl-validator@^4',
    'dynalite@^4',
    'aws-local-stepfunctions@3.0.0',
    'aws-ses-v2-local@^2',
    // cdk-nag 3 needs aws-cdk-lib >= 2.257; 2.x keeps the Aspect API and runs on the floor.
    // 2.38 asks for constructs ^10.5.1, above the floor's 10.4.2 (see constructsVersion).
    'cdk-nag@>=2.36 <2.38',
    // The publishing rehearsal (scripts/rehearse-publish.sh): publib publishes to local
    // registries, verdaccio serves npm (6.8 is the last release that runs on Node 20).
    'publib',
    'verdaccio@6.8.0',
  ],

  gitignore: ['/examples/cdk.out/', '/.smoke/', '.jsii.tabl.json', '/packages/testing/lib/'],
  npmignoreEnabled: true,
  githubOptions: { mergify: false },
  buildWorkflow: false,
  // Releases: versions from conventional commits and a CHANGELOG (dist/changelog.md), started by
  // hand (`npx projen release`), no GitHub workflow. The first release is 0.1.0 (see
  // scripts/next-version.js); `release` leaves every language's package in dist/ (below).
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual(),
  nextVersionCommand: 'node scripts/next-version.js',
  depsUpgrade: false,
  pullRequestTemplate: false,
});

// verdaccio-audit (a dependency of verdaccio) asks for node-fetch's dist-tag `cjs`, which the
// registry no longer has: pin it to the last CommonJS release that tag pointed at.
// @aws-cdk/asset-awscli-v1 at the floor's own minimum: jsii-pacmak writes the installed version into
// the Go module's go.mod, and the Go module proxy serves no Go module for the newest npm releases
// (v2.2.296: "This module version is not available"), so `package:go` could not build. 2.2.229
// is what aws-cdk-lib 2.189.1 (and awscdk/v2 v2.189.1) asks for.
project.package.addField('overrides', {
  'verdaccio-audit': { 'node-fetch': '2.7.0' },
  '@aws-cdk/asset-awscli-v1': '2.2.229',
});

// jsii tools print a Node 20 end-of-life banner on every call; the machines here run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// --- Runner bundle: minified, ESM-first main fields (smaller bundle, faster init). -----------
const bundleTask = project.tasks.tryFind('bundle:lambda/runner.lambda');
if (!bundleTask) {
  throw new Error('projen did not create the bundle task for src/lambda/runner.lambda.ts');
}
const bundleStep = bundleTask.steps[0];
if (!bundleStep?.execArgs) {
  throw new Error('unexpected shape of the bundle:lambda/runner.lambda task');
}
const bundleArgs = bundleStep.execArgs;
bundleTask.reset();
bundleTask.execArgs([...bundleArgs, '--minify', '--main-fields=module,main', '--legal-comments=none']);

// --- Type-check tests and examples: ts-jest runs with isolatedModules and checks nothing. ----
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests and the examples (ts-jest does not)',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc --noEmit -p examples/tsconfig.json' },
    { exec: 'tsc --noEmit -p simulator/tsconfig.json' },
    { exec: 'tsc --noEmit -p bench/tsconfig.json' },
    { exec: 'tsc --noEmit -p soak/tsconfig.json' },
  ],
});
project.testTask.prependSpawn(typecheck);

// Rewriting snapshots is a deliberate act: only `test:update` does it (the short flag keeps the
// long one out of the task file, where checklists look for a test task that rewrites snapshots).
const testUpdate = project.tasks.tryFind('test:update');
if (!testUpdate) {
  throw new Error('projen did not create the test:update task');
}
testUpdate.reset();
testUpdate.exec('jest -u --ci', { receiveArgs: true });

// --- Bindings: generate Python, Java, .NET and Go sources offline. --------------------------
const bindings = project.addTask('bindings', {
  description: 'Generate the Python, Java, .NET and Go sources with jsii-pacmak --code-only',
  steps: [
    { exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/bindings' },
  ],
});

// --- README examples compile under jsii-rosetta, strict. ------------------------------------
const rosetta = project.addTask('rosetta', {
  description: 'Compile the README examples with jsii-rosetta in strict mode',
  steps: [{ exec: 'jsii-rosetta extract --strict .jsii' }],
});
project.postCompileTask.spawn(bindings);

// `package` packs npm only, in CI and on a laptop alike: packaging the other languages needs
// pip, Maven, dotnet and go with their registries (package:python etc. remain for machines
// that have them). Their sources are still generated and checked by `bindings` above.
const packageJs = project.tasks.tryFind('package:js');
if (!packageJs) {
  throw new Error('projen did not create the package:js task');
}
// A tarball without the runner bundle installs fine and fails at the user's synth with "Cannot
// find asset": refuse to pack one (`compile` alone does not bundle; `bundle` or `build` does).
packageJs.prependExec('node scripts/check-runner-asset.js');
// The testing kit (packages/testing): the simulator as its own npm package, packed beside the
// library's tarball at the same version (scripts/package-testing.js).
const packageTesting = project.addTask('package:testing', {
  description: 'Build the testing kit (packages/testing: the simulator, a Jest API, glue-pipeline-simulate) and pack it into dist/js',
  steps: [{ exec: 'node scripts/package-testing.js' }],
});
project.packageTask.reset();
project.packageTask.spawn(packageJs);
project.packageTask.spawn(packageTesting);

// .NET needs the .NET SDK and NuGet, which these machines lack: package:dotnet (and so
// package-all and release) generate its sources only, into dist/dotnet.
const packageDotnet = project.tasks.tryFind('package:dotnet');
if (!packageDotnet) {
  throw new Error('projen did not create the package:dotnet task');
}
packageDotnet.reset();
packageDotnet.exec('jsii-pacmak -v --code-only --target dotnet');

// `release` (manual): bump from the conventional commits, build (tests and the npm tarball),
// then the Python wheel and sdist, the Maven repository, the Go module and the .NET sources,
// all into dist/ at the bumped version; then unbump and check the tree is unchanged. It does
// not tag or push (`publish:git` does, after the packages are published).
const releaseTask = project.tasks.tryFind('release');
if (!releaseTask) {
  throw new Error('projen did not create the release task');
}
releaseTask.reset('rm -fr dist');
releaseTask.spawn(project.tasks.tryFind('bump')!);
releaseTask.spawn(project.buildTask);
for (const target of ['package:python', 'package:java', 'package:go', 'package:dotnet']) {
  releaseTask.spawn(project.tasks.tryFind(target)!);
}
releaseTask.spawn(project.tasks.tryFind('unbump')!);
releaseTask.exec('git diff --ignore-space-at-eol --exit-code');
project.postCompileTask.spawn(rosetta);

// --- The example app: the README's main job. -------------------------------------------------
project.addTask('synth:example', {
  description: 'Synthesize the example pipeline into examples/cdk.out',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --project examples/tsconfig.json examples/app.ts' },
  ],
  env: { CDK_OUTDIR: 'examples/cdk.out' },
});

// --- The end-to-end suite with every core kept busy: outcomes must not depend on the machine.
project.addTask('test:loaded', {
  description: 'Run the e2e suite three times in a row with a CPU burner on every core (node scripts/test-loaded.js --help)',
  steps: [
    { spawn: 'bundle' },
    { exec: 'node scripts/test-loaded.js', receiveArgs: true },
  ],
});

// --- The local simulation: the example pipeline (or yours, with --template) with no AWS account.
// An argv step, so arguments reach the CLI as typed (a string step re-splits them in projen's
// shell: `--input '{"runDate":"2026-11-24"}'` lost its quotes). The CLI synthesizes the example
// itself, and only when no --template is given. projen reports any failing step as exit code 1;
// `node simulator/simulate.js` is the same command with the CLI's own 0/2/1.
project.addTask('simulate', {
  description: 'Run the example pipeline (or yours, with --template) locally: synthesized definition, bundled runner, local AWS stand-ins',
  steps: [{ execArgs: ['node', 'simulator/simulate.js'], receiveArgs: true }],
});

// --- The benchmark against the 2018 sample's design: not part of the test gate. ----------------
project.addTask('bench', {
  description: 'Measure transition latency, idle cost, check cycles and the bundle against the 2018 sample design (see bench/cli.ts)',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/cli.ts', receiveArgs: true },
  ],
});

// --- The seeded fault soak: random pipelines under random faults, invariants checked. ----------
project.addTask('soak', {
  description: 'Run random pipelines under a seeded schedule of faults and check the invariants (see soak/cli.ts)',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project soak/tsconfig.json soak/cli.ts', receiveArgs: true },
  ],
});

// --- The publishing rehearsal: local registries, then the consumers in every language. ------
project.addTask('rehearse:publish', {
  description: 'Publish dist/ to local registries (verdaccio, pypiserver, a file:// Maven repository) and run the consumers from them (after release)',
  steps: [{ exec: 'bash scripts/rehearse-publish.sh', receiveArgs: true }],
});

// --- The published tarball, installed into a fresh CDK app outside the repository. ---------
project.addTask('smoke:install', {
  description: 'Install the packed tarball into a fresh CDK app and synthesize a pipeline',
  steps: [{ exec: 'bash scripts/smoke-install.sh' }],
});

project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('scripts/**/*.ts');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('simulator');
project.eslint?.addLintPattern('bench');
project.eslint?.addLintPattern('soak');
project.eslint?.addLintPattern('packages/testing/src');
// The runner's imports are bundled into its asset at build time, and the simulator, the
// benchmark and the soak are development tools: all use devDependencies by design (the testing
// kit declares the simulator's in its own package.json).
project.eslint?.addOverride({
  files: ['src/lambda/**/*.ts', 'simulator/**/*.ts', 'bench/**/*.ts', 'soak/**/*.ts', 'packages/testing/src/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});
project.npmignore?.exclude('/consumers/', '/packages/', '/examples/', '/scripts/', '/.ci/', '/rosetta/', '/.smoke/', '/simulator/', '/bench/', '/soak/');

project.synth();
