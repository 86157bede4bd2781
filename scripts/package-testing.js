// `package:testing`: builds the testing kit (packages/testing: the simulator with a Jest API and
// the glue-pipeline-simulate command) and packs it into dist/js at the library's version, with a
// peer dependency on that same version of the library. The simulator's sources are compiled
// from simulator/ as they are; nothing is copied into the repository.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const kit = path.join(root, 'packages', 'testing');
const lib = path.join(kit, 'lib');
const { version } = require(path.join(root, 'package.json'));

fs.rmSync(lib, { recursive: true, force: true });
execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(kit, 'tsconfig.json')], { stdio: 'inherit' });
// The runner's container host: plain JavaScript, forked by runner-pool.js from its own folder.
fs.copyFileSync(path.join(root, 'simulator', 'runner-host.js'), path.join(lib, 'simulator', 'runner-host.js'));

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'testing-kit-'));
try {
  for (const entry of ['bin', 'lib', 'README.md', 'LICENSE']) {
    const from = entry === 'LICENSE' ? path.join(root, 'LICENSE') : path.join(kit, entry);
    fs.cpSync(from, path.join(stage, entry), { recursive: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(kit, 'package.json'), 'utf8'));
  manifest.version = version;
  manifest.peerDependencies = { ...manifest.peerDependencies, 'glue-orchestrated-pipeline': version };
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, undefined, 2)}\n`);
  const outdir = path.join(root, 'dist', 'js');
  fs.mkdirSync(outdir, { recursive: true });
  const packed = execFileSync('npm', ['pack', '--pack-destination', outdir, '--loglevel=error'], { cwd: stage, encoding: 'utf8' }).trim();
  console.log(`package:testing: dist/js/${packed.split('\n').pop()}`);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
