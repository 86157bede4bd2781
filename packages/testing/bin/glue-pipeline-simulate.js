#!/usr/bin/env node
require('../lib/packages/testing/src/cli.js').main();
