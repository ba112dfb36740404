#!/usr/bin/env bash
# Tools for the Helm chart's tests (test/deploy/*.test.ts): helm and kubeconform built from Go modules, and offline
# JSON schemas for kubeconform made from the Kubernetes API's own OpenAPI document (no registry or GitHub here).
#   scripts/helm-tools.sh build    install into the tools cache (reused when present)
#   scripts/helm-tools.sh dir      print the tools folder
# Layout: $TOOLS/bin/{helm,kubeconform}, $TOOLS/schemas/<kind>-<group>-<version>.json (kubeconform's
# '{{ .ResourceKind }}{{ .KindSuffix }}.json'), $TOOLS/schemas/.k8s-version.
set -euo pipefail

HELM_VERSION=3.21.4
KUBECONFORM_VERSION=0.8.0
K8S_VERSION=1.36.3
CACHE=${FERRY_TOOLS_DIR:-$HOME/.cache/ferry-tools}
TOOLS=$CACHE/helm-v$HELM_VERSION
BIN=$TOOLS/bin
SCHEMAS=$TOOLS/schemas

log() { echo "helm-tools: $*" >&2; }

# The OpenAPI document of the Kubernetes API, from the k8s.io/kubernetes module: the one the test cluster's build
# downloaded when it is there, else downloaded here.
swagger() {
  local f=$CACHE/k8s-v$K8S_VERSION/gopath/pkg/mod/k8s.io/kubernetes@v$K8S_VERSION/api/openapi-spec/swagger.json
  if [ -f "$f" ]; then
    echo "$f"
    return 0
  fi
  local dir
  dir=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -f "$dir/api/openapi-spec/swagger.json" ] || { log "no swagger.json in k8s.io/kubernetes@v$K8S_VERSION"; return 1; }
  echo "$dir/api/openapi-spec/swagger.json"
}

# One JSON schema per group/version/kind. A kind's file carries its definition plus the closure of the definitions it
# refers to, under "definitions" with local $refs: recursive types (JSONSchemaProps) stay finite, and each closure is
# computed once per definition (memoized) — naive inlining of every $ref took minutes on the CRD types.
# kubeconform -strict needs additionalProperties:false on every object with known properties; int-or-string and
# Quantity accept numbers as YAML writes them (`port: 80`, `cpu: 1`).
generate_schemas() {
  local src=$1 out=$2
  nice -n 19 python3 - "$src" "$out" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
defs = json.load(open(src))["definitions"]
PREFIX = "#/definitions/"

def fix(node):
    if isinstance(node, dict):
        node = {k: fix(v) for k, v in node.items()}
        if node.get("format") == "int-or-string":
            return {k: v for k, v in node.items() if k not in ("type", "format")} | {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [fix(v) for v in node]
    return node

fixed = {name: fix(d) for name, d in defs.items()}
fixed["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
    "description": defs["io.k8s.apimachinery.pkg.api.resource.Quantity"].get("description", ""),
    "oneOf": [{"type": "string"}, {"type": "number"}],
}

def refs_of(node, acc):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith(PREFIX):
            acc.add(r[len(PREFIX):])
        for v in node.values():
            refs_of(v, acc)
    elif isinstance(node, list):
        for v in node:
            refs_of(v, acc)
    return acc

direct = {name: refs_of(d, set()) for name, d in fixed.items()}
closures = {}

def closure(name):
    # Iterative walk; memoized per definition.
    if name in closures:
        return closures[name]
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in closures:
            seen |= closures[n]
            continue
        todo.extend(direct.get(n, ()))
    closures[name] = seen
    return seen

os.makedirs(out, exist_ok=True)
count = 0
for name, d in fixed.items():
    for gvk in defs[name].get("x-kubernetes-group-version-kind", []):
        group, version, kind = gvk.get("group", ""), gvk["version"], gvk["kind"]
        suffix = f"-{group.split('.')[0].lower()}-{version.lower()}" if group else f"-{version.lower()}"
        schema = {k: v for k, v in d.items() if k != "x-kubernetes-group-version-kind"}
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        # apiVersion and kind must name this very kind (a typo in either is an error, not another kind's schema).
        props = dict(schema.get("properties", {}))
        props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version}" if group else version]}
        props["kind"] = {"type": "string", "enum": [kind]}
        schema["properties"] = props
        schema["definitions"] = {n: fixed[n] for n in sorted(closure(name))}
        with open(os.path.join(out, f"{kind.lower()}{suffix}.json"), "w") as f:
            json.dump(schema, f)
        count += 1
print(count)
PY
}

have_all() { [ -x "$BIN/helm" ] && [ -x "$BIN/kubeconform" ] && [ -f "$SCHEMAS/.k8s-version" ]; }

build() {
  if have_all; then
    log "tools present in $TOOLS"
    return 0
  fi
  command -v go >/dev/null || { log "go is not installed: cannot build helm and kubeconform"; return 1; }
  command -v python3 >/dev/null || { log "python3 is not installed: cannot generate the kubeconform schemas"; return 1; }
  mkdir -p "$BIN"
  # GOPATH/GOCACHE under the tools folder: the modules and build cache stay out of the user's and the clone's way.
  export GOPATH=$TOOLS/gopath GOCACHE=$TOOLS/gocache GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOBIN=$BIN
  if [ ! -x "$BIN/helm" ]; then
    log "building helm v$HELM_VERSION (a few minutes when cold)"
    nice -n 19 go install "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  fi
  if [ ! -x "$BIN/kubeconform" ]; then
    log "building kubeconform v$KUBECONFORM_VERSION"
    nice -n 19 go install "github.com/yannh/kubeconform/cmd/kubeconform@v$KUBECONFORM_VERSION"
  fi
  if [ ! -f "$SCHEMAS/.k8s-version" ]; then
    local src n
    src=$(swagger)
    log "generating kubeconform schemas from $src"
    rm -rf "$SCHEMAS.tmp"
    n=$(generate_schemas "$src" "$SCHEMAS.tmp")
    echo "v$K8S_VERSION" >"$SCHEMAS.tmp/.k8s-version"
    rm -rf "$SCHEMAS" && mv "$SCHEMAS.tmp" "$SCHEMAS"
    log "$n schemas in $SCHEMAS"
  fi
  have_all && log "built into $TOOLS"
}

case "${1:-}" in
  build) build ;;
  dir) echo "$TOOLS" ;;
  *) echo "usage: $0 build | dir" >&2; exit 2 ;;
esac
