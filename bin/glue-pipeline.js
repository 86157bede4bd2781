#!/usr/bin/env node
require('../lib/cli/glue-pipeline.js').run();
