# qarnot-mcp container image: Maven build, a JRE cut down to the modules the app uses, an Alpine runtime.
# Base images are build arguments so that an enterprise can point them at its own registry mirror.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17-alpine
ARG JDK_IMAGE=eclipse-temurin:17-jdk-alpine
ARG RUNTIME_IMAGE=alpine:3.20

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
RUN jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre

# --- runtime: the JRE, the app, its libraries and the tool routes; no build tools; not root ----------------------
FROM ${RUNTIME_IMAGE}
RUN addgroup -S -g 10001 qarnot && adduser -S -D -H -u 10001 -G qarnot -h /app qarnot
COPY --from=jre /jre /opt/jre
COPY --from=build /build/target/lib /app/lib
COPY --from=build /build/target/qarnot-mcp.jar /app/qarnot-mcp.jar
COPY routes /app/routes
COPY scripts/docker-entrypoint.sh /app/docker-entrypoint.sh
ENV PATH=/opt/jre/bin:$PATH \
    APP_HOME=/app \
    MCP_BIND_ADDRESS=0.0.0.0 \
    MCP_PORT=8000 \
    MCP_ROUTES_DIR=/app/routes \
    MCP_SHUTDOWN_TIMEOUT=30 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k -Djava.io.tmpdir=/tmp"
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# busybox wget is part of the base image: no extra package for the health check.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${MCP_PORT}/observe/health" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/docker-entrypoint.sh"]
