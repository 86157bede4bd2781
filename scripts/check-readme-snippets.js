// The README's Python, Java and Go snippets are excerpts of the consumer apps, which CI compiles
// and synthesizes: each part of a snippet (parts are separated by a `# ...` or `// ...` line)
// must appear, line after line, in the consumer file it names (indentation aside).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const sources = {
  python: 'consumers/python/app.py',
  java: 'consumers/java/src/main/java/io/github/glueorchestratedpipeline/consumer/ConsumerApp.java',
  go: 'consumers/go/main.go',
};
const problems = [];
let checked = 0;
for (const [, lang, body] of readme.matchAll(/```(python|java|go)\n([\s\S]*?)```/g)) {
  const file = fs.readFileSync(path.join(root, sources[lang]), 'utf8').split('\n').map((l) => l.trim());
  const parts = body.trimEnd().split(/\n\s*(?:#|\/\/) \.\.\.\n/);
  for (const part of parts) {
    const lines = part.split('\n').map((l) => l.trim());
    const found = file.some((_, i) => lines.every((line, j) => file[i + j] === line));
    if (!found) problems.push(`README ${lang} snippet part starting "${lines[0]}" is not in ${sources[lang]}`);
    checked++;
  }
}
if (checked === 0) problems.push('no Python, Java or Go snippet found in README.md');
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`README: ${checked} parts of the Python, Java and Go snippets are excerpts of the consumers`);
