#!/usr/bin/env bash
# Renders each overlay with kubectl's built-in kustomize and validates every object offline, with no cluster, against
# Kubernetes' OpenAPI schemas and field names (validate.mjs). Exits 1 naming each problem.
#   bash deploy/k8s/validate.sh                  # every overlay under deploy/k8s/overlays
#   bash deploy/k8s/validate.sh overlays/gpu     # those named, relative to deploy/k8s
# Needs kubectl, node and npm; the npm packages are installed on first use into $ORLEANS_GAN_K8S_TOOLS
# (default ~/.cache/orleans-gan/k8s-validate), about 50 MB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${ORLEANS_GAN_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/orleans-gan/k8s-validate}
# kubernetes-models 5.1.0 asks for node 22 but runs on the node 20 we have; its schemas know fields of Kubernetes 1.34.
packages=(kubernetes-models@5.1.0 yaml@2.9.1 typescript@5.9.3)
if [ "$(cat "$tools/installed" 2>/dev/null)" != "${packages[*]}" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "${packages[@]}" >&2
  echo "${packages[*]}" > "$tools/installed"
fi

overlays=("$@")
if [ ${#overlays[@]} -eq 0 ]; then
  for overlay in "$here"/overlays/*/; do overlays+=("overlays/$(basename "$overlay")"); done
fi
failed=0
for overlay in "${overlays[@]}"; do
  rendered=$(kubectl kustomize "$here/$overlay")
  if summary=$(node "$here/validate.mjs" "$tools" <<< "$rendered"); then
    echo "$overlay: $summary"
  else
    echo "$overlay: $summary" >&2
    failed=1
  fi
done
exit $failed
