import * as path from 'path';
import { build } from 'esbuild';

/**
 * Bundles the old-sample runner with the options of the library's runner asset (see the
 * bundle:lambda/runner.lambda task), so the two compare on equal terms: the SDK inside, its ES
 * module builds preferred (they tree-shake), minified. Returns `outDir`, which holds index.js.
 */
export async function bundleOldSampleRunner(outDir: string): Promise<string> {
  await build({
    entryPoints: [path.join(__dirname, 'runner.ts')],
    outfile: path.join(outDir, 'index.js'),
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    bundle: true,
    minify: true,
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outDir;
}
