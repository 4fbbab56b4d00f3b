package org.qarnotmcp.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qarnotmcp.Versions;

/**
 * What results look like in each era. Both: tools listed by name, so that the list is the same on every request and
 * every replica (client caches and prompt caches depend on it). Modern (2026-07-28): {@code resultType}, the server's
 * identity in {@code _meta}, caching hints on {@code tools/list}, and {@code server/discover}.
 */
final class ResultShapes {

    /** The tool list is the same for every caller: shared caches may keep it. */
    static final String CACHE_SCOPE = "public";
    /** server/discover changes only when the server is redeployed. */
    static final long DISCOVER_TTL_MS = 600_000;

    private final ObjectMapper mapper;
    private final String instructions;
    private final long toolsTtlMs;
    private final Map<String, Object> serverInfo = Map.of("name", Versions.SERVER_NAME, "version", Versions.PROJECT);

    /**
     * {@code toolsTtlMs}: the list changes only when a route file is reloaded; with reload on, the listen stream
     * announces it at once, so the hint can be minutes; with reload off it changes only on a redeploy.
     */
    ResultShapes(ObjectMapper mapper, String instructions, long toolsTtlMs) {
        this.mapper = mapper;
        this.instructions = instructions;
        this.toolsTtlMs = toolsTtlMs;
    }

    long toolsTtlMs() {
        return toolsTtlMs;
    }

    /** A legacy result: only the tool order changes. */
    static Object legacy(Object result) {
        if (result instanceof ListToolsResult list && list.tools() != null) {
            return new ListToolsResult(sorted(list.tools()), list.nextCursor(), list.meta());
        }
        return result;
    }

    /** A modern result from the SDK's answer to {@code method}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> modern(String method, Object result) {
        Map<String, Object> shaped = new LinkedHashMap<>();
        shaped.put("resultType", "complete");
        shaped.putAll(mapper.convertValue(legacy(result), Map.class));
        if (method.equals("tools/list")) {
            shaped.put("ttlMs", toolsTtlMs);
            shaped.put("cacheScope", CACHE_SCOPE);
        }
        return withIdentity(shaped);
    }

    Map<String, Object> discover(boolean toolsListChanged) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("supportedVersions", ProtocolEra.SUPPORTED);
        result.put("capabilities", Map.of("tools", Map.of("listChanged", toolsListChanged)));
        result.put("instructions", instructions);
        result.put("ttlMs", DISCOVER_TTL_MS);
        result.put("cacheScope", CACHE_SCOPE);
        return withIdentity(result);
    }

    /** The closing result of a listen stream, and any other result that carries extra {@code _meta}. */
    Map<String, Object> complete(Map<String, Object> meta) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("_meta", meta);
        return withIdentity(result);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withIdentity(Map<String, Object> result) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (result.get("_meta") instanceof Map<?, ?> existing) {
            meta.putAll((Map<String, Object>) existing);
        }
        meta.put(ProtocolEra.SERVER_INFO_KEY, serverInfo);
        result.put("_meta", meta);
        return result;
    }

    private static List<Tool> sorted(List<Tool> tools) {
        return tools.stream().sorted(Comparator.comparing(Tool::name)).toList();
    }
}
