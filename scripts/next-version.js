// `bump:next-version` (projen's nextVersionCommand): the first release is 0.1.0. projen starts a
// repository with no release tag at 0.0.0 and would release that; once a tag `v*` exists, this
// prints nothing and the bump comes from the conventional commits since that tag.
const { execFileSync } = require('child_process');

const tags = execFileSync('git', ['tag', '--list', 'v*'], { encoding: 'utf8' }).trim();
if (!tags) {
  process.stdout.write('0.1.0');
}
