package org.qarnotmcp.transport;

import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.qarnotmcp.CallerText;

/**
 * The one place that knows the MCP revisions: which era a POST speaks, whether a modern request is well-formed
 * (its {@code _meta}, and the {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name} and {@code
 * Mcp-Param-*} headers against the body), and the error each failure gets.
 *
 * <p>A request is <em>modern</em> (2026-07-28: no initialize, every request self-describing) when its {@code _meta}
 * or its {@code MCP-Protocol-Version} header names a version other than the legacy ones; otherwise it is
 * <em>legacy</em> (2025-03-26 to 2025-11-25, served by the MCP SDK as before). A version nobody serves is answered
 * with {@code UnsupportedProtocolVersion}, which a dual-era client reads as "modern server, pick from this list".
 */
final class ProtocolEra {

    static final String MODERN = "2026-07-28";
    static final List<String> LEGACY = List.of("2025-03-26", "2025-06-18", "2025-11-25");
    static final List<String> SUPPORTED = List.of(MODERN, "2025-11-25", "2025-06-18", "2025-03-26");

    static final String PROTOCOL_HEADER = "MCP-Protocol-Version";
    static final String META = "_meta";
    static final String VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
    static final String CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
    static final String CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
    static final String SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";
    static final String SUBSCRIPTION_KEY = "io.modelcontextprotocol/subscriptionId";

    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_VERSION = -32022;

    /** What a modern request may ask; the rest (initialize, ping, logging/setLevel, resources/*, ...) is 404. */
    static final Set<String> MODERN_METHODS = Set.of("server/discover", "tools/list", "tools/call", "subscriptions/listen");

    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern HEADER_TEXT = Pattern.compile("[\\x20-\\x7E\\t]*");

    /** A refused request: HTTP status and the JSON-RPC error, with the request's id when it could be read. */
    record Rejection(int status, Object id, int code, String message, Map<String, Object> data) {
    }

    private ProtocolEra() {
    }

    /** The request's id when it is a string or a number, else null (then no error can name it). */
    static Object idOf(Map<String, Object> message) {
        Object id = message.get("id");
        return id instanceof String || id instanceof Number ? id : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> params(Map<String, Object> message) {
        return message.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(Map<String, Object> message) {
        return params(message).get(META) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static boolean isModern(String headerVersion, Map<String, Object> message) {
        Map<String, Object> meta = meta(message);
        Object metaVersion = meta == null ? null : meta.get(VERSION_KEY);
        return (headerVersion != null && !LEGACY.contains(headerVersion.strip()))
                || (metaVersion != null && !LEGACY.contains(String.valueOf(metaVersion)));
    }

    /** Null when the modern request may be served; {@code headerParams} gives a tool's {@code Mcp-Param-} arguments. */
    static Rejection checkModern(MultiMap headers, Map<String, Object> message,
            Function<String, Map<String, String>> headerParams) {
        Object id = idOf(message);
        String method = message.get("method") instanceof String m ? m : null;
        String headerVersion = strip(headers.get(PROTOCOL_HEADER));
        Map<String, Object> meta = meta(message);
        Object version = meta == null ? null : meta.get(VERSION_KEY);
        if (version == null && headerVersion != null && !headerVersion.equals(MODERN)) {
            return unsupported(id, headerVersion);
        }
        if (meta == null) {
            return invalid(id, "params._meta is missing: a " + MODERN + " request carries _meta with \"" + VERSION_KEY
                    + "\" and \"" + CAPABILITIES_KEY + "\" (and should carry \"" + CLIENT_INFO_KEY + "\").");
        }
        if (!(version instanceof String requested)) {
            return invalid(id, "params._meta[\"" + VERSION_KEY + "\"] must be the protocol version as a string, e.g. \""
                    + MODERN + "\".");
        }
        if (headerVersion == null || !headerVersion.equals(requested)) {
            return mismatch(id, headerVersion == null
                    ? "the MCP-Protocol-Version header is missing; send MCP-Protocol-Version: " + shown(requested)
                    : "MCP-Protocol-Version header '" + shown(headerVersion) + "' does not match _meta protocol version '"
                            + shown(requested) + "'");
        }
        if (!requested.equals(MODERN)) {
            return unsupported(id, requested);
        }
        if (!(meta.get(CAPABILITIES_KEY) instanceof Map)) {
            return invalid(id, "params._meta[\"" + CAPABILITIES_KEY + "\"] must be an object (send {} if the client "
                    + "declares no capabilities).");
        }
        if (meta.containsKey(CLIENT_INFO_KEY) && !(meta.get(CLIENT_INFO_KEY) instanceof Map)) {
            return invalid(id, "params._meta[\"" + CLIENT_INFO_KEY + "\"] must be an object with name and version.");
        }
        if (method == null) {
            return null; // not a request: the caller refuses it
        }
        String methodHeader = strip(headers.get("Mcp-Method"));
        if (!method.equals(methodHeader)) {
            return mismatch(id, methodHeader == null ? "the Mcp-Method header is missing; send Mcp-Method: " + shown(method)
                    : "Mcp-Method header '" + shown(methodHeader) + "' does not match body method '" + shown(method) + "'");
        }
        if (!MODERN_METHODS.contains(method)) {
            return new Rejection(404, id, METHOD_NOT_FOUND, "Method not found: '" + shown(method) + "' is not served in MCP "
                    + MODERN + (LEGACY_ONLY.contains(method) ? " (it was removed from the protocol)" : "")
                    + "; this server answers " + String.join(", ", MODERN_METHODS.stream().sorted().toList()) + ".", null);
        }
        return method.equals("tools/call") ? checkToolHeaders(id, headers, params(message), headerParams) : null;
    }

    private static final Set<String> LEGACY_ONLY = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe", "notifications/initialized");

    @SuppressWarnings("unchecked")
    private static Rejection checkToolHeaders(Object id, MultiMap headers, Map<String, Object> params,
            Function<String, Map<String, String>> headerParams) {
        Object name = params.get("name");
        String nameHeader = headers.get("Mcp-Name");
        if (name instanceof String toolName) {
            String decoded = nameHeader == null ? null : decode(nameHeader.strip());
            if (!toolName.equals(decoded)) {
                return mismatch(id, nameHeader == null ? "the Mcp-Name header is missing; send Mcp-Name with the tool name"
                        : "Mcp-Name header '" + shown(nameHeader) + "' does not match body params.name '" + shown(toolName) + "'");
            }
            Map<String, Object> arguments = params.get("arguments") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
            for (Map.Entry<String, String> param : headerParams.apply(toolName).entrySet()) {
                Object value = arguments.get(param.getKey());
                String header = "Mcp-Param-" + param.getValue();
                String raw = headers.get(header);
                if (value == null) {
                    continue; // nothing to mirror: the header is not expected
                }
                String sent = raw == null ? null : decode(raw.strip());
                if (raw != null && sent == null) {
                    return mismatch(id, header + " is not a valid header value: plain visible ASCII, or =?base64?<padded "
                            + "Base64 of the UTF-8 value>?=");
                }
                if (!matches(value, sent)) {
                    return mismatch(id, raw == null ? "the " + header + " header is missing; it must carry argument '"
                            + param.getKey() + "'" : header + " does not match argument '" + param.getKey() + "'");
                }
            }
        }
        return null;
    }

    /** A header value as sent: the Base64 sentinel decoded, plain text as is; null when it is neither. */
    static String decode(String value) {
        if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
            String encoded = value.substring(9, value.length() - 2);
            if (!BASE64.matcher(encoded).matches()) {
                return null;
            }
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        return HEADER_TEXT.matcher(value).matches() ? value : null;
    }

    /** Header text against the argument: numbers compare as numbers (42 = 42.0), booleans as true/false. */
    private static boolean matches(Object value, String header) {
        if (header == null) {
            return false;
        }
        if (value instanceof Number number) {
            try {
                return new BigDecimal(header).compareTo(new BigDecimal(number.toString())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return String.valueOf(value).equals(header);
    }

    static Rejection unsupported(Object id, String requested) {
        return new Rejection(400, id, UNSUPPORTED_VERSION, "Unsupported protocol version '" + shown(requested)
                + "': this server speaks " + String.join(", ", SUPPORTED) + ".",
                Map.of("supported", SUPPORTED, "requested", requested));
    }

    private static Rejection invalid(Object id, String message) {
        return new Rejection(400, id, INVALID_PARAMS, "Invalid params: " + message, null);
    }

    private static Rejection mismatch(Object id, String message) {
        return new Rejection(400, id, HEADER_MISMATCH, "Header mismatch: " + message + ".", null);
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static String shown(String callerText) {
        return CallerText.oneLine(callerText, 80);
    }
}
