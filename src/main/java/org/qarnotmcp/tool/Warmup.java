package org.qarnotmcp.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import groovy.lang.GroovyClassLoader;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the first tool call about as fast as the next ones. Without it the first call pays for loading and
 * starting the Groovy compiler (about half a second) and for building Jackson's serializers of the MCP types. This
 * does that work on a background thread while Camel is still starting, on the other core: it only
 * compiles a sample script and writes sample JSON. It runs no route, no tool script and sends nothing to Qarnot.
 */
public final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    /** The constructs tool routes use: closures, map and list literals, safe navigation, elvis, collect, findAll. */
    static final String SAMPLE_SCRIPT = """
            def items = (body?.data ?: []).collect { t -> [id: t.id, name: "${t.name}", n: t.n ?: null].findAll { it.value != null } }
            def filters = []
            if (variables.states) { filters << [operator: 'In', values: variables.states] }
            [items: items, count: items.size(), filter: filters.isEmpty() ? null : filters[0]]
            """;

    private final McpJsonMapper jsonMapper;
    private final ObjectMapper mapper;
    private volatile Thread thread;

    public Warmup(McpJsonMapper jsonMapper, ObjectMapper mapper) {
        this.jsonMapper = jsonMapper;
        this.mapper = mapper;
    }

    /** Starts the warm-up thread; called while the server is being configured, before Camel starts. */
    public void start() {
        Thread t = new Thread(this::run, "qarnot-mcp-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        thread = t;
        t.start();
    }

    /** Waits for the warm-up to end (tests; the server never waits for it). */
    public void await() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join();
        }
    }

    void run() {
        long start = System.nanoTime();
        try {
            // The Groovy compiler: compiled and thrown away (the route's own scripts compile on their first use).
            try (GroovyClassLoader loader = new GroovyClassLoader(Warmup.class.getClassLoader())) {
                loader.parseClass(SAMPLE_SCRIPT);
            }
            // The JSON paths of a call: a JSON-RPC request in, a tool result with structured content out.
            McpSchema.deserializeJsonRpcMessage(jsonMapper, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"warmup\",\"arguments\":{\"pageSize\":1,\"states\":[\"Success\"]}}}");
            Map<String, Object> structured = Map.of("items", List.of(Map.of("id", "x", "n", 1.5)), "count", 1);
            CallToolResult result = CallToolResult.builder().addTextContent(mapper.writeValueAsString(structured))
                    .structuredContent(structured).isError(false).build();
            jsonMapper.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 1, result, null));
            mapper.readValue("{\"data\":[{\"uuid\":\"u\",\"progress\":1.0,\"endDate\":null}],\"total\":1}", Object.class);
            LOG.debug("Warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Exception | LinkageError e) {
            // Only speed is at stake: the first call does the same work itself.
            LOG.debug("Warm-up skipped: {}", e.toString());
        }
    }
}
