#!/usr/bin/env bash
# Offline validation of deploy/kubernetes (no cluster): renders the Kustomize base and overlays and checks every
# object against the Kubernetes v1.36 OpenAPI schemas shipped by the npm package kubernetes-models (and the
# ServiceMonitor against @kubernetes-models/prometheus-operator), plus the deployment rules; see
# scripts/kubernetes/validate.mjs. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=target/kubernetes-checks
mkdir -p "$WORK"
cp scripts/kubernetes/package.json scripts/kubernetes/validate.mjs "$WORK/"
(cd "$WORK" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
node "$WORK/validate.mjs" .
