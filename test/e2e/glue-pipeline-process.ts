// The `glue-pipeline` process as bin/glue-pipeline.js starts it, from the sources (ts-node): the
// scenarios in backfill-process.test.ts run it as a child process.
import { run } from '../../src/cli/glue-pipeline';

run();
