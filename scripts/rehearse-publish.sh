#!/usr/bin/env bash
# A rehearsal of publishing, as a release would do it, against registries on this machine, then
# the consumers installing from them (consumers/run.sh). Run after `npx projen release`.
#
#   npm:   verdaccio on 127.0.0.1 (packages other than ours proxied from npmjs), published with
#          publib-npm (given a temporary HOME: it rewrites ~/.npmrc)
#   PyPI:  pypiserver on 127.0.0.1 (packages other than ours redirected to pypi.org), published
#          with publib-pypi (twine)
#   Maven: a file:// repository, published with publib-maven (deploy:deploy-file)
#   Go:    publib-golang only pushes to GitHub: no rehearsal; the Go consumer replaces the module
#          with dist/go
#
#   scripts/rehearse-publish.sh [languages for consumers/run.sh]
# The servers are stopped when the script ends. Tools: verdaccio and publib are devDependencies;
# pypiserver is installed into a venv in the cache (CONSUMERS_CACHE, default ~/.cache/glue-orchestrated-pipeline).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(cat dist/version.txt 2>/dev/null || true)
[ -n "$version" ] || { echo "rehearse-publish: no dist/version.txt: run 'npx projen release' first" >&2; exit 1; }
for want in "dist/js/glue-orchestrated-pipeline@$version.jsii.tgz" "dist/js/glue-orchestrated-pipeline-testing-$version.tgz" \
  dist/python/*.whl dist/java/io/github/glue-orchestrated-pipeline/glue-orchestrated-pipeline/$version dist/go/glueorchestratedpipeline/go.mod; do
  [ -e "$want" ] || { echo "rehearse-publish: $want is missing: run 'npx projen release' first" >&2; exit 1; }
done
# Run through `npx projen`, npm passes its configuration down as npm_config_* variables; its
# npm_config_userconfig (the real ~/.npmrc) would hide the token publib-npm writes into its own
# HOME (ENEEDAUTH). Each npm call here names its registry and configuration itself.
for var in $(compgen -e | grep -i '^npm_config_' || true); do unset "$var"; done
cache=${CONSUMERS_CACHE:-$HOME/.cache/glue-orchestrated-pipeline}
export CONSUMERS_CACHE=$cache PIP_CACHE_DIR=$cache/pip
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_for() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.3; done; echo "rehearse-publish: $1 never answered" >&2; return 1; }
step() { echo; echo "=== rehearse-publish: $* ($(date -u +%H:%M:%S))"; }

step "Construct Hub's listing rules on the npm tarball"
node scripts/check-construct-hub.js "dist/js/glue-orchestrated-pipeline@$version.jsii.tgz"

# --- npm: verdaccio ---------------------------------------------------------------------------
npm_port=$(free_port)
mkdir -p "$work/verdaccio"
cat > "$work/verdaccio/config.yaml" <<YAML
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
packages:
  'glue-orchestrated-pipeline':
    access: \$all
    publish: \$authenticated
  'glue-orchestrated-pipeline-testing':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    proxy: npmjs
log: { type: stdout, format: pretty, level: warn }
YAML
step "verdaccio on 127.0.0.1:$npm_port"
node_modules/.bin/verdaccio --config "$work/verdaccio/config.yaml" --listen "127.0.0.1:$npm_port" > "$work/verdaccio.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$npm_port/-/ping"
token=$(curl -fsS -X PUT -H 'content-type: application/json' \
  -d '{"name":"rehearsal","password":"rehearsal-password"}' \
  "http://127.0.0.1:$npm_port/-/user/org.couchdb.user:rehearsal" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
step "publib-npm: dist/js -> verdaccio"
mkdir -p "$work/npm-home"
HOME=$work/npm-home NPM_TOKEN=$token NPM_REGISTRY=127.0.0.1:$npm_port DISABLE_HTTPS=1 node_modules/.bin/publib-npm dist/js
for pkg in glue-orchestrated-pipeline glue-orchestrated-pipeline-testing; do
  echo "$pkg on verdaccio: $(npm view "$pkg@$version" version --registry "http://127.0.0.1:$npm_port/")"
done

# --- PyPI: pypiserver ---------------------------------------------------------------------------
tools=$cache/tools-venv
if [ ! -x "$tools/bin/pypi-server" ]; then
  step "pypiserver into $tools (once)"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check 'pypiserver>=2,<3'
fi
pypi_port=$(free_port)
mkdir -p "$work/pypi"
step "pypiserver on 127.0.0.1:$pypi_port"
"$tools/bin/pypi-server" run --host 127.0.0.1 --port "$pypi_port" --authenticate . --passwords . \
  --fallback-url https://pypi.org/simple/ "$work/pypi" > "$work/pypiserver.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$pypi_port/simple/"
step "publib-pypi: dist/python -> pypiserver"
mkdir -p "$work/pypi-home"
HOME=$work/pypi-home TWINE_REPOSITORY_URL=http://127.0.0.1:$pypi_port/ TWINE_USERNAME=rehearsal TWINE_PASSWORD=rehearsal \
  node_modules/.bin/publib-pypi dist/python
ls "$work/pypi"

# --- Maven: a file:// repository -----------------------------------------------------------------
step "publib-maven: dist/java -> file:// Maven repository"
mkdir -p "$work/maven-repo" "$work/maven-home"
HOME=$work/maven-home MAVEN_SERVER_ID=rehearsal MAVEN_REPOSITORY_URL=file://$work/maven-repo \
  MAVEN_USERNAME=rehearsal MAVEN_PASSWORD=rehearsal MAVEN_OPTS="-Dmaven.repo.local=$cache/m2" \
  node_modules/.bin/publib-maven dist/java
find "$work/maven-repo" -name "*.jar" | sed "s|$work/maven-repo/||"

# --- The consumers, from these registries ----------------------------------------------------------
VERSION=$version NPM_REGISTRY_URL=http://127.0.0.1:$npm_port/ PYPI_INDEX_URL=http://127.0.0.1:$pypi_port/simple/ \
  MAVEN_REPO_URL=file://$work/maven-repo GO_MODULE_DIR=$root/dist/go/glueorchestratedpipeline \
  CONSUMERS_WORK=$work/consumers bash consumers/run.sh "$@"
