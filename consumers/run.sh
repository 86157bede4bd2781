#!/usr/bin/env bash
# Runs the consumers: small apps in Python, Java, Go and TypeScript that install the released
# packages the way their users do, define the example's orders pipeline and a small graph with
# references, and synthesize; then compares each language's templates with the TypeScript ones.
# Each consumer is copied to a work directory outside the repository and installed there.
#
#   consumers/run.sh [python] [java] [go] [typescript]      (default: all four)
#
# Where the packages come from (scripts/rehearse-publish.sh sets these after publishing):
#   VERSION            the released version (default: dist/version.txt)
#   NPM_REGISTRY_URL   npm registry holding glue-orchestrated-pipeline(-testing)
#   PYPI_INDEX_URL     PyPI "simple" index holding glue-orchestrated-pipeline
#   MAVEN_REPO_URL     Maven repository holding io.github.glue-orchestrated-pipeline
#   GO_MODULE_DIR      the built Go module (dist/go/glueorchestratedpipeline): publib-golang only
#                      pushes to GitHub, so Go consumers use a `replace`, as the README says
#   CONSUMERS_WORK     work directory (default: a new temporary one)
# Caches (outside the clone, reused by later runs): $CONSUMERS_CACHE (default
# ~/.cache/glue-orchestrated-pipeline) holds pip's, Maven's and Go's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=${VERSION:-$(cat dist/version.txt 2>/dev/null || true)}
[ -n "$version" ] || { echo "consumers: no VERSION and no dist/version.txt: run 'npx projen release' first" >&2; exit 1; }
floor=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
# The newest aws-cdk-lib the cdk-nag claim is checked at (README, "What gets created"); pinned so
# that CI is repeatable.
NEWEST_CDK=2.276.0
cache=${CONSUMERS_CACHE:-$HOME/.cache/glue-orchestrated-pipeline}
work=${CONSUMERS_WORK:-$(mktemp -d)}
mkdir -p "$cache" "$work"
export PIP_CACHE_DIR=$cache/pip GOMODCACHE=$cache/go-mod GOCACHE=$cache/go-build GOFLAGS=-modcacherw
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python java go typescript)

need() { [ -n "${!1:-}" ] || { echo "consumers: $1 is not set (scripts/rehearse-publish.sh sets it)" >&2; exit 1; }; }
step() { echo; echo "=== consumers: $* ($(date -u +%H:%M:%S))"; }

# The TypeScript reference: the library's own example, synthesized from the sources.
reference=$root/examples/cdk.out
[ -f "$reference/OrdersPipeline.template.json" ] || npx projen synth:example >/dev/null

for lang in "${langs[@]}"; do
  dir=$work/$lang
  rm -rf "$dir" && cp -r "$root/consumers/$lang" "$dir"
  case $lang in
    python)
      need PYPI_INDEX_URL
      step "python: a venv with aws-cdk-lib==$floor from PyPI and glue-orchestrated-pipeline==$version from $PYPI_INDEX_URL"
      python3 -m venv "$dir/.venv"
      "$dir/.venv/bin/pip" install --quiet --disable-pip-version-check --index-url "$PYPI_INDEX_URL" \
        "aws-cdk-lib==$floor" "glue-orchestrated-pipeline==$version"
      "$dir/.venv/bin/pip" show glue-orchestrated-pipeline | grep -E '^(Name|Version|Location)'
      (cd "$dir" && CDK_OUTDIR=cdk.out .venv/bin/python app.py)
      ;;
    java)
      need MAVEN_REPO_URL
      step "java: Maven, aws-cdk-lib $floor from Maven Central, glue-orchestrated-pipeline $version from $MAVEN_REPO_URL"
      # Maven keeps a release it has downloaded forever: forget ours, so this run reads the repository.
      rm -rf "$cache/m2/io/github/glue-orchestrated-pipeline"
      (cd "$dir" && CDK_OUTDIR=cdk.out mvn -B -q -Dmaven.repo.local="$cache/m2" -Dcdk.version="$floor" \
        -Dpipeline.version="$version" -Dpipeline.repository="$MAVEN_REPO_URL" compile exec:java)
      ;;
    go)
      need GO_MODULE_DIR
      step "go: awscdk/v2 v$floor from the module proxy, the module replaced by $GO_MODULE_DIR"
      module=$(sed -n 's/^module //p' "$GO_MODULE_DIR/go.mod")
      cat > "$dir/go.mod" <<GOMOD
module consumer

go 1.25

require $module v$version

replace $module => $GO_MODULE_DIR
GOMOD
      (cd "$dir" && go get "github.com/aws/aws-cdk-go/awscdk/v2@v$floor" && go mod tidy && CDK_OUTDIR=cdk.out go run .)
      ;;
    typescript)
      need NPM_REGISTRY_URL
      step "typescript: npm install from $NPM_REGISTRY_URL (glue-orchestrated-pipeline and -testing $version), Jest, synth, the simulate command"
      (cd "$dir" \
        && npm pkg set "dependencies.glue-orchestrated-pipeline=$version" "devDependencies.glue-orchestrated-pipeline-testing=$version" \
        && npm install --no-audit --no-fund --loglevel=error --registry "$NPM_REGISTRY_URL" \
        && npm ls glue-orchestrated-pipeline glue-orchestrated-pipeline-testing \
        && npm test \
        && CDK_OUTDIR=cdk.out npm run --silent synth)
      # The README's cdk-nag claim at the other end: the newest aws-cdk-lib checked.
      (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error --registry "$NPM_REGISTRY_URL" "aws-cdk-lib@$NEWEST_CDK" \
        && npx jest --ci test/cdk-nag.test.ts 2>&1 | grep -E 'aws-cdk-lib .*findings|Tests:' \
        && npm install --no-save --no-audit --no-fund --loglevel=error --registry "$NPM_REGISTRY_URL" "aws-cdk-lib@$floor")
      code=0
      (cd "$dir" && npx glue-pipeline-simulate cdk.out --stack OrdersPipeline --fail transform > simulate-fail.log 2>&1) || code=$?
      [ "$code" -eq 2 ] || { cat "$dir/simulate-fail.log"; echo "consumers: glue-pipeline-simulate --fail transform exited $code, not 2" >&2; exit 1; }
      grep -q '^Execution FAILED .* with Glue.JobFailed' "$dir/simulate-fail.log"
      echo "glue-pipeline-simulate cdk.out --stack OrdersPipeline --fail transform: exit 2, $(grep '^Execution FAILED' "$dir/simulate-fail.log")"
      ;;
    *) echo "consumers: unknown language $lang" >&2; exit 1 ;;
  esac
done

step "templates compared with TypeScript's (OrdersPipeline: the library's example; GraphPipeline: the TypeScript consumer's)"
for lang in "${langs[@]}"; do
  node consumers/compare-templates.js "$reference" "$work/$lang/cdk.out" OrdersPipeline
done
if [[ " ${langs[*]} " == *" typescript "* ]]; then
  for lang in "${langs[@]}"; do
    [ "$lang" = typescript ] || node consumers/compare-templates.js "$work/typescript/cdk.out" "$work/$lang/cdk.out" GraphPipeline
  done
fi
