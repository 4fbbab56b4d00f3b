# qarnot-mcp container image: Maven build, a Java 25 JRE cut down to the modules the app uses, an Alpine runtime.
# Base images are build arguments so that an enterprise can point them at its own registry mirror.
# The jar is built with --release 17 (pom.xml), so the same jar runs on Java 17 outside the image.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25-alpine
ARG JDK_IMAGE=eclipse-temurin:25-jdk-alpine
ARG RUNTIME_IMAGE=alpine:3.22

# --- build: dependencies first, so that they stay cached while only the sources change --------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# --- jre: only the JDK modules the app needs (jdeps on the jar and its libraries, checked by ContainerStartCommandIT)
FROM ${JDK_IMAGE} AS jre
ARG JLINK_MODULES=java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
# No --generate-cds-archive: the AOT cache below holds the JDK's classes too, and without it the JVM just loads them.
# strip: Temurin's native libraries keep their symbol tables (5.7 MB); the dynamic symbols the JVM needs stay.
# (Temurin's JDK images carry binutils for jlink; added only if one does not.)
RUN { command -v strip >/dev/null || apk add --no-cache binutils; } \
 && jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
      --output /jre \
 && find /jre -name '*.so' -exec strip --strip-unneeded {} +

# --- runtime: the JRE, the app, its libraries and the tool routes; no build tools; not root ----------------------
FROM ${RUNTIME_IMAGE}
# AOT_CACHE=true: one training run at build (scripts/aot-cache.sh) writes an AOT cache (JEP 483/514/515) that the
# launcher maps at every start: about half the start-up, for 85 MB more image (over the 130 MB budget, so off by
# default; README "Run it in a container" has the figures).
ARG AOT_CACHE=false
RUN addgroup -S -g 10001 qarnot && adduser -S -D -H -u 10001 -G qarnot -h /app qarnot
COPY --from=jre /jre /opt/jre
COPY --from=build /build/target/lib /app/lib
COPY --from=build /build/target/qarnot-mcp.jar /app/qarnot-mcp.jar
COPY routes /app/routes
COPY bin/qarnot-mcp /app/bin/qarnot-mcp
COPY scripts/aot-cache.sh /app/scripts/aot-cache.sh
# The JVM flags (heap from the container's memory limit, Serial GC, thread stacks) come from bin/qarnot-mcp, the
# same launcher the README's start command runs; JAVA_OPTS adds to them.
ENV PATH=/opt/jre/bin:$PATH \
    MCP_BIND_ADDRESS=0.0.0.0 \
    MCP_PORT=8000 \
    MCP_ROUTES_DIR=/app/routes \
    MCP_SHUTDOWN_TIMEOUT=30
WORKDIR /app
# The training run happens here, with the final JRE, jar and launcher, because the cache is only valid for those.
RUN if [ "${AOT_CACHE}" = "true" ]; then /app/scripts/aot-cache.sh && rm -rf /tmp/hsperfdata_*; fi
USER 10001:10001
EXPOSE 8000
# busybox wget is part of the base image: no extra package for the health check.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${MCP_PORT}/observe/health" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/bin/qarnot-mcp"]
