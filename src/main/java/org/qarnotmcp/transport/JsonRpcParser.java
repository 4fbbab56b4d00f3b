package org.qarnotmcp.transport;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qarnotmcp.CallerText;

/**
 * Strict reading of a POSTed JSON-RPC body, before the MCP SDK sees it. A proxy or a log that reads the message must
 * see what runs, so duplicate keys and trailing content are refused; {@code jsonrpc} must be "2.0"; {@code params}
 * must have the shape the method needs (an object, with {@code name} and an object {@code arguments} for
 * {@code tools/call}), else -32602 naming the field, with the request's id. Error texts are written here: no
 * exception message (Jackson's, the SDK's) ever reaches the client.
 */
public final class JsonRpcParser {

    public static final int INVALID_PARAMS = -32602;
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{0,80})");

    /** One JSON-RPC message ready for the SDK, or the error to answer instead (carrying the request id if known). */
    public record Parsed(JSONRPCMessage message, Error error) {
        static Parsed ok(JSONRPCMessage message) {
            return new Parsed(message, null);
        }
    }

    /** A refusal: HTTP status (for a whole-body refusal), JSON-RPC code, the request id (or null) and the text. */
    public record Error(int httpStatus, int code, Object id, String message) {
    }

    /** The body: one message, or a batch of them (each parsed on its own), or one error for the whole body. */
    public record Body(Parsed single, List<Parsed> batch, Error error) {
    }

    private final ObjectMapper strict;
    private final int maxBatch;

    public JsonRpcParser(ObjectMapper mapper, int maxBatch) {
        this.strict = mapper.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBatch = maxBatch;
    }

    /** {@code version} is the MCP-Protocol-Version header (null if absent): batches were removed in 2025-06-18. */
    public Body parse(String body, String version) {
        JsonNode root;
        try {
            root = strict.readTree(body);
        } catch (JsonProcessingException e) {
            return new Body(null, null, new Error(400, JsonRpcErrors.PARSE_ERROR, null, describe(e)));
        }
        if (root == null || root.isMissingNode()) {
            return new Body(null, null, new Error(400, JsonRpcErrors.PARSE_ERROR, null, "Empty body: send one JSON-RPC 2.0 message."));
        }
        if (!root.isArray()) {
            return new Body(message(root, version != null && !ProtocolEra.LEGACY.contains(version.strip())), null, null);
        }
        if (version != null && version.compareTo("2025-06-18") >= 0) {
            return new Body(null, null, new Error(400, JsonRpcErrors.INVALID_REQUEST, null,
                    "JSON-RPC batches were removed in MCP " + CallerText.oneLine(version, 20) + ": send one message per POST."));
        }
        if (root.isEmpty()) {
            return new Body(null, null, new Error(400, JsonRpcErrors.INVALID_REQUEST, null, "Empty JSON-RPC batch."));
        }
        if (root.size() > maxBatch) {
            return new Body(null, null, new Error(400, JsonRpcErrors.INVALID_REQUEST, null, "The batch has " + root.size()
                    + " messages; this server takes at most " + maxBatch + " per POST (MCP_MAX_BATCH): send them in "
                    + "smaller batches or one per POST."));
        }
        List<Parsed> batch = new ArrayList<>(root.size());
        root.forEach(element -> batch.add(message(element, false)));
        return new Body(null, batch, null);
    }

    /** {@code modern}: a 2026-07-28 request, whose methods outside that revision are answered 404 by ProtocolEra. */
    private Parsed message(JsonNode node, boolean modern) {
        if (!node.isObject()) {
            return refuse(JsonRpcErrors.INVALID_REQUEST, null, "A JSON-RPC message must be a JSON object with jsonrpc, method and (for requests) id.");
        }
        JsonNode idNode = node.get("id");
        Object id = idOf(idNode);
        boolean hasId = idNode != null;
        if (hasId && id == null) {
            return refuse(JsonRpcErrors.INVALID_REQUEST, null, "'id' must be a string or an integer (not null, a fraction, an object or an array).");
        }
        JsonNode jsonrpc = node.get("jsonrpc");
        if (jsonrpc == null || !jsonrpc.isTextual() || !jsonrpc.asText().equals("2.0")) {
            return refuse(JsonRpcErrors.INVALID_REQUEST, id, "'jsonrpc' must be the string \"2.0\".");
        }
        if (node.has("result") || node.has("error")) {
            return refuse(JsonRpcErrors.INVALID_REQUEST, id, "This server sends no requests to clients, so it accepts no JSON-RPC responses.");
        }
        JsonNode methodNode = node.get("method");
        if (methodNode == null || !methodNode.isTextual() || methodNode.asText().isEmpty()) {
            return refuse(JsonRpcErrors.INVALID_REQUEST, id, "'method' must be a non-empty string, such as \"tools/call\".");
        }
        String method = methodNode.asText();
        JsonNode params = node.get("params");
        String problem = modern && !ProtocolEra.MODERN_METHODS.contains(method) ? null : paramsProblem(method, params);
        if (problem != null) {
            return refuse(INVALID_PARAMS, id, "Invalid params for " + CallerText.oneLine(method, 40) + ": " + problem);
        }
        Object paramsValue = params == null || params.isNull() ? null : strict.convertValue(params, Map.class);
        return Parsed.ok(hasId ? new JSONRPCRequest("2.0", method, id, paramsValue)
                : new JSONRPCNotification("2.0", method, paramsValue));
    }

    /** What is wrong with {@code params} for this method, or null. */
    static String paramsProblem(String method, JsonNode params) {
        boolean present = params != null && !params.isNull();
        if (present && !params.isObject()) {
            return "'params' must be an object, not " + kind(params) + ".";
        }
        switch (method) {
            case "tools/call" -> {
                if (!present) {
                    return "'params' is required: send {\"name\": \"<tool>\", \"arguments\": {...}}.";
                }
                JsonNode name = params.get("name");
                if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                    return "'params.name' must be the tool name as a string (tools/list shows them).";
                }
                return objectOrAbsent(params, "arguments");
            }
            case "initialize" -> {
                if (!present) {
                    return "'params' is required: send {\"protocolVersion\": \"2025-11-25\", \"capabilities\": {}, "
                            + "\"clientInfo\": {\"name\": \"...\", \"version\": \"...\"}}.";
                }
                JsonNode version = params.get("protocolVersion");
                if (version == null || !version.isTextual()) {
                    return "'params.protocolVersion' must be a string such as \"2025-11-25\".";
                }
                String capabilities = objectOrAbsent(params, "capabilities");
                if (capabilities != null) {
                    return capabilities;
                }
                JsonNode client = params.get("clientInfo");
                if (client == null || !client.isObject()) {
                    return "'params.clientInfo' must be an object with name and version.";
                }
                return null;
            }
            case "tools/list" -> {
                if (present && params.has("cursor") && !params.get("cursor").isNull() && !params.get("cursor").isTextual()) {
                    return "'params.cursor' must be a string (the nextCursor of the previous answer).";
                }
                return present ? objectOrAbsent(params, "_meta") : null;
            }
            default -> {
                return present ? objectOrAbsent(params, "_meta") : null;
            }
        }
    }

    private static String objectOrAbsent(JsonNode params, String field) {
        JsonNode value = params.get(field);
        return value == null || value.isNull() || value.isObject() ? null
                : "'params." + field + "' must be an object, not " + kind(value) + ".";
    }

    private static Object idOf(JsonNode id) {
        if (id == null) {
            return null;
        }
        if (id.isTextual()) {
            return id.asText();
        }
        if (id.isIntegralNumber() && id.canConvertToLong()) {
            return id.asLong();
        }
        return null;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Parsed refuse(int code, Object id, String message) {
        return new Parsed(null, new Error(code == INVALID_PARAMS ? 200 : 400, code, id, message));
    }

    /** Jackson's message names internal classes and echoes input: only the kind of problem and where it is. */
    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.find()) {
            return "Duplicate key '" + CallerText.oneLine(duplicate.group(1), 40) + "'" + where
                    + ": send each key once in a JSON object.";
        }
        if (original.startsWith("Trailing token")) {
            return "Content after the JSON-RPC message" + where + ": send exactly one JSON value per POST.";
        }
        return "The body is not valid JSON" + where + ": send one JSON-RPC 2.0 message, an object with jsonrpc, "
                + "method and (for requests) id.";
    }
}
