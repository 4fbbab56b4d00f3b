#!/bin/sh
# Makes the class-data archive ($APP_HOME/app.jsa) that docker-entrypoint.sh hands to the JVM: one training start of
# the app, which loads every class a start needs (Camel, the routes, the MCP SDK, Jackson, Groovy, Vert.x), stopped
# by Camel after two seconds; the JVM archives those classes at exit. The next starts map them instead of loading and
# verifying them again: about 0.8 s less from start to the first tool call (README "Benchmark").
# Run at image build, after the JRE (jlinked with --generate-cds-archive), the jar and lib/ are in their final place:
# the archive is only valid for that JVM and those exact jar files. No network, no Qarnot: nothing is called.
set -eu
APP_HOME="${APP_HOME:-/app}"
JAVA="${JAVA:-java}"
ARCHIVE="${CDS_ARCHIVE:-$APP_HOME/app.jsa}"
LOG="${TMPDIR:-/tmp}/cds-archive-training.log"
rm -f "$ARCHIVE"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
if ! CAMEL_MAIN_DURATIONMAXSECONDS=2 MCP_ROUTES_RELOAD=false MCP_BIND_ADDRESS=127.0.0.1 \
  "$JAVA" ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$APP_HOME/qarnot-mcp.jar" >"$LOG" 2>&1; then
  echo "cds-archive: the training start failed; its last lines:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
fi
rm -f "$LOG"
if [ ! -s "$ARCHIVE" ]; then
  echo "cds-archive: no archive was written (the JRE needs jlink --generate-cds-archive)" >&2
  exit 1
fi
chmod a+r "$ARCHIVE"
echo "cds-archive: $ARCHIVE ($(wc -c <"$ARCHIVE") bytes)"
