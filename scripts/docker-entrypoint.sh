#!/bin/sh
# The container's start command, and the one ContainerStartCommandIT runs against the packaged app: same JVM
# flags (JAVA_OPTS from the Dockerfile), same jar, same environment variables.
# exec: java becomes PID 1 and gets SIGTERM itself, so Camel drains in-flight calls (MCP_SHUTDOWN_TIMEOUT) first.
set -eu
APP_HOME="${APP_HOME:-/app}"
JAVA="${JAVA:-java}"
# The class-data archive made at image build (scripts/cds-archive.sh) shortens the start; if it does not match this
# JVM or jar (a jar swapped in by hand) the JVM ignores it and starts as usual.
CDS=""
if [ -f "$APP_HOME/app.jsa" ]; then
  CDS="-XX:SharedArchiveFile=$APP_HOME/app.jsa"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec "$JAVA" ${JAVA_OPTS:-} $CDS -jar "$APP_HOME/qarnot-mcp.jar" "$@"
