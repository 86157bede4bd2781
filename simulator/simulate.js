#!/usr/bin/env node
// Runs the simulation CLI (simulator/cli.ts) from any directory, with its exit code: 0 the
// execution succeeded, 2 it failed, 1 the simulation itself failed. `npx projen simulate` runs
// this too, but projen's task runner reports every non-zero exit code as 1.
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, 'tsconfig.json') });
require('./cli.ts');
