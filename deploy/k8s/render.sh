#!/usr/bin/env bash
# Renders each overlay into deploy/k8s/rendered/, for `kubectl apply -f` without kustomize and for
# the manifest test on machines without kubectl. KubernetesManifestsTests fails if these are stale.
set -euo pipefail
cd "$(dirname "$0")"
for overlay in overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" > "rendered/$name.yaml"
done
