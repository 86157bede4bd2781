// Run before `package:js` packs the tarball: the runner Lambda's bundle must be in assets/ and no
// older than the runner's sources, or the package installs and then fails at the user's synth
// with "Cannot find asset". `npx projen bundle` (or `build`) writes it.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'assets', 'lambda', 'runner.lambda', 'index.js');
const refuse = (why) => {
  console.error(`package:js: ${why}; run 'npx projen bundle' (or 'npx projen build') before packing`);
  process.exit(1);
};

if (!fs.existsSync(bundle) || fs.statSync(bundle).size === 0) {
  refuse('the runner bundle assets/lambda/runner.lambda/index.js is missing');
}
const newest = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
  const file = path.join(dir, entry.name);
  const mtime = entry.isDirectory() ? newest(file) : (file.endsWith('.ts') ? fs.statSync(file).mtimeMs : 0);
  return Math.max(latest, mtime);
}, 0);
const sources = Math.max(newest(path.join(root, 'src', 'lambda')), newest(path.join(root, 'src', 'shared')));
if (fs.statSync(bundle).mtimeMs < sources) {
  refuse('the runner bundle in assets/ is older than the sources in src/lambda or src/shared');
}
console.log(`package:js: runner bundle present (${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB)`);
