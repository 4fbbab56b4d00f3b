#!/usr/bin/env bash
# Offline checks of the container files (no Docker engine needed): lint the Dockerfile, validate both compose files
# against the Compose Specification JSON Schema (scripts/compose/compose-spec.json, from compose-spec/compose-spec,
# Apache-2.0), and syntax-check the shell scripts. Needs npx (Node from the machine or apt).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=target/container-checks
mkdir -p "$WORK"

echo "== dockerfilelint Dockerfile"
npx -y dockerfilelint@1.8.0 Dockerfile

echo "== compose files against the Compose Specification schema"
# ajv does not know the draft-07 meta-schema URL by that spelling: drop \$schema from a working copy.
node -e 'const f=require("fs");const s=JSON.parse(f.readFileSync("scripts/compose/compose-spec.json"));delete s["$schema"];f.writeFileSync(process.argv[1],JSON.stringify(s))' "$WORK/compose-spec.json"
for file in docker-compose.prod.yml docker-compose.local.yml; do
  npx -y -p ajv-cli@5.0.0 -p ajv-formats@3.0.1 -- ajv validate --spec=draft7 --strict=false -c ajv-formats \
    -s "$WORK/compose-spec.json" -d "$file" --errors=text --all-errors
done

echo "== shell syntax"
for script in scripts/*.sh .ci/run; do
  bash -n "$script"
done
sh -n scripts/docker-entrypoint.sh
sh -n scripts/cds-archive.sh
echo "container file checks passed"
