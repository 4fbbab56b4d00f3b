package org.qarnotmcp;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;
import org.qarnotmcp.transport.ConnectionLimits;

/**
 * Every setting of the server, read once at start from Camel properties ({@code application.properties}, where
 * each maps to an environment variable; see README "Settings").
 */
public record Settings(
        String mcpPath,
        String routesDir,
        boolean routesReload,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        long maxBodyBytes,
        Duration toolTimeout,
        int resultMaxChars,
        int maxCalls,
        int maxCallsPerCaller,
        int maxBatch,
        ConnectionLimits.Config connectionLimits,
        String qarnotBaseUrl,
        List<String> qarnotKeyHeaders,
        long qarnotConnectTimeoutMs,
        long qarnotReadTimeoutMs,
        int qarnotMaxConnections,
        int qarnotMaxRetries,
        Duration qarnotRetryBaseDelay,
        Duration qarnotRetryMaxWait,
        long qarnotMaxJsonBytes,
        String auth,
        String publicUrl,
        String tokenSecret,
        boolean trustForwardedHeaders,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        int maxListenStreams,
        List<String> oauthRedirectUris) {

    public static Settings from(CamelContext context) {
        int maxCalls = positive(context, "mcp.max-calls", "MCP_MAX_CALLS", "10000");
        return new Settings(
                get(context, "mcp.path", "/mcp"),
                get(context, "mcp.routes-dir", "routes"),
                Boolean.parseBoolean(get(context, "mcp.routes-reload", "true")),
                list(get(context, "mcp.allowed-origins", "")),
                list(get(context, "mcp.allowed-hosts", "")),
                Long.parseLong(get(context, "mcp.max-body-bytes", "2097152")),
                duration(get(context, "mcp.tool-timeout", "120s")),
                Integer.parseInt(get(context, "mcp.result-max-chars", "100000")),
                maxCalls,
                positive(context, "mcp.max-calls-per-caller", "MCP_MAX_CALLS_PER_CALLER", "1000"),
                Integer.parseInt(get(context, "mcp.max-batch", "10")),
                new ConnectionLimits.Config(duration(get(context, "mcp.idle-timeout", "120s")),
                        duration(get(context, "mcp.header-timeout", "10s")), duration(get(context, "mcp.body-timeout", "30s")),
                        maxConnections(context, maxCalls),
                        duration(get(context, "mcp.event-loop-max-block", "2s"))),
                get(context, "qarnot.base-url", "https://api.qarnot.com"),
                list(get(context, "qarnot.key-headers", "Authorization,X-Api-Key")),
                duration(get(context, "qarnot.connect-timeout", "5s")).toMillis(),
                duration(get(context, "qarnot.read-timeout", "30s")).toMillis(),
                positive(context, "qarnot.max-connections", "QARNOT_MAX_CONNECTIONS", "256"),
                Integer.parseInt(get(context, "qarnot.max-retries", "3")),
                duration(get(context, "qarnot.retry-base-delay", "500ms")),
                duration(get(context, "qarnot.retry-max-wait", "10s")),
                Long.parseLong(get(context, "qarnot.max-json-bytes", "8388608")),
                get(context, "mcp.auth", "bearer").toLowerCase(java.util.Locale.ROOT),
                get(context, "mcp.public-url", ""),
                get(context, "mcp.token-secret", ""),
                Boolean.parseBoolean(get(context, "mcp.trust-forwarded-headers", "false")),
                duration(get(context, "mcp.access-token-ttl", "1h")),
                duration(get(context, "mcp.refresh-token-ttl", "30d")),
                Integer.parseInt(get(context, "mcp.max-listen-streams", "100")),
                list(get(context, "mcp.oauth-redirect-uris", "")));
    }

    /**
     * Every running call holds its own connection until its answer, so unless set the limit follows MCP_MAX_CALLS,
     * with 1,024 more for health probes, idle kept-alive connections and the calls turned away as busy.
     */
    private static int maxConnections(CamelContext context, int maxCalls) {
        String set = get(context, "mcp.max-connections", "");
        return set.isEmpty() ? maxCalls + 1024
                : positive(context, "mcp.max-connections", "MCP_MAX_CONNECTIONS", "MCP_MAX_CALLS + 1024");
    }

    /** One property, trimmed, or the default; for the few classes that read their own settings (policy/). */
    public static String get(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(defaultValue);
    }

    private static int positive(CamelContext context, String key, String variable, String defaultValue) {
        return atLeast(context, key, variable, defaultValue, 1);
    }

    /** A whole number of 0 or more (0 often meaning "off"); for the classes that read their own settings. */
    public static int number(CamelContext context, String key, String variable, String defaultValue) {
        return atLeast(context, key, variable, defaultValue, 0);
    }

    /** A bad value stops the start naming the environment variable. */
    private static int atLeast(CamelContext context, String key, String variable, String defaultValue, int min) {
        String text = get(context, key, defaultValue);
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " must be a whole number of " + min + " or more, not '" + text
                + "' (default " + defaultValue + ").");
    }

    public static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** "120s", "500ms", "2m", "1h", "30d" or plain milliseconds. */
    public static Duration duration(String text) {
        String t = text.trim();
        if (t.endsWith("d") && t.substring(0, t.length() - 1).chars().allMatch(Character::isDigit)) {
            return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofMillis(TimeUtils.toMilliSeconds(t));
    }

    public boolean oauth() {
        return "oauth".equals(auth);
    }
}
