#!/usr/bin/env bash
# Offline checks of the container files (no Docker engine needed): lint the Dockerfile, validate both compose files
# against the Compose Specification JSON Schema (scripts/compose/compose-spec.json, from compose-spec/compose-spec,
# Apache-2.0), check that they use no Compose feature newer than the version README.md states
# (scripts/compose/compose-features.js), and syntax-check the shell scripts. Needs npx (Node from the machine or apt).
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

echo "== compose files use no feature newer than the Compose version the README states"
COMPOSE_VERSION=$(grep -o 'Docker Compose v[0-9][0-9.]* or newer' README.md | head -1 | sed 's/Docker Compose v//; s/ or newer//')
[ -n "$COMPOSE_VERSION" ] || { echo "README.md does not state 'Docker Compose vX.Y.Z or newer'"; exit 1; }
for file in docker-compose.prod.yml docker-compose.local.yml; do
  npx -y -p js-yaml@4.1.0 -- js-yaml "$file" > "$WORK/$file.json"
done
node scripts/compose/compose-features.js "$COMPOSE_VERSION" "$WORK"/docker-compose.*.json

echo "== shell syntax"
for script in scripts/*.sh .ci/run; do
  bash -n "$script"
done
sh -n scripts/aot-cache.sh
sh -n bin/qarnot-mcp
echo "container file checks passed"
