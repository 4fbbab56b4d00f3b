package org.qarnotmcp.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import groovy.lang.GroovyClassLoader;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Shortens the start and makes the first tool call about as fast as the next ones. Left alone, the start pays for
 * the default TLS context (camel-http builds its HTTPS socket factory while the routes are built), the JSON Schema
 * meta-schema (each tool's schemas are checked as its route starts) and the JVM beans the metrics read; the first call
 * pays for loading the Groovy compiler (about half a second) and for Jackson's serializers of the MCP types. These
 * run here on background threads, on the other core, while Camel is still starting. They only build the TLS context,
 * check a sample schema, read the JVM's memory and GC beans, compile and run a sample script on made-up data and write
 * sample JSON: no route runs, no tool script runs, nothing is sent anywhere, and a
 * failure changes nothing but speed (the same work is then done where it is needed).
 */
public final class Warmup {

    /** The constructs tool routes use: closures, map and list literals, safe navigation, elvis, collect, findAll. */
    static final String SAMPLE_SCRIPT = """
            def items = (body?.data ?: []).collect { t -> [id: t.id, name: "${t.name}", n: t.n ?: null].findAll { it.value != null } }
            def filters = []
            if (variables.states) { filters << [operator: 'In', values: variables.states] }
            [items: items, count: items.size(), filter: filters.isEmpty() ? null : filters[0]]
            """;

    private Warmup() {
    }

    /** First thing at start (App.main): TLS context, JSON Schema meta-schema, JVM management beans, Groovy compiler. */
    public static Thread startEarly() {
        return start("qarnot-mcp-warmup", () -> {
            SSLContext.getDefault();
            Schemas.warm();
            ManagementFactory.getMemoryPoolMXBeans();
            ManagementFactory.getGarbageCollectorMXBeans();
            ManagementFactory.getOperatingSystemMXBean();
            ManagementFactory.getThreadMXBean();
            try (GroovyClassLoader loader = new GroovyClassLoader(Warmup.class.getClassLoader())) {
                Class<?> compiled = loader.parseClass(SAMPLE_SCRIPT);
                runSample(compiled);
            }
        });
    }

    /**
     * Runs the compiled sample on made-up data, as a tool route's script runs on Qarnot's answer: Groovy builds the
     * meta-classes of the JDK types scripts use (maps, lists, strings, numbers, closures) and links its call sites on
     * first use, which was most of what the first tool call still paid after the compile.
     */
    static Object runSample(Class<?> compiled) throws ReflectiveOperationException {
        Map<String, Object> task = new java.util.LinkedHashMap<>();
        task.put("id", "t-1");
        task.put("name", "warm-up");
        task.put("n", 1.5);
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("states", new java.util.ArrayList<>(List.of("Success")));
        groovy.lang.Binding binding = new groovy.lang.Binding();
        binding.setVariable("body", new java.util.LinkedHashMap<>(Map.of("data", new java.util.ArrayList<>(List.of(task)))));
        binding.setVariable("variables", variables);
        groovy.lang.Script script = (groovy.lang.Script) compiled.getDeclaredConstructor().newInstance();
        script.setBinding(binding);
        return script.run();
    }

    /** Once the server's JSON mappers exist (ServerConfiguration): a JSON-RPC request in, a tool result out. */
    public static Thread startJson(McpJsonMapper jsonMapper, ObjectMapper mapper) {
        return start("qarnot-mcp-warmup-json", () -> {
            McpSchema.deserializeJsonRpcMessage(jsonMapper, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"warmup\",\"arguments\":{\"pageSize\":1,\"states\":[\"Success\"]}}}");
            Map<String, Object> structured = Map.of("items", List.of(Map.of("id", "x", "n", 1.5)), "count", 1);
            CallToolResult result = CallToolResult.builder().addTextContent(mapper.writeValueAsString(structured))
                    .structuredContent(structured).isError(false).build();
            jsonMapper.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 1, result, null));
            mapper.readValue("{\"data\":[{\"uuid\":\"u\",\"progress\":1.0,\"endDate\":null}],\"total\":1}", Object.class);
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Thread start(String name, Step step) {
        Thread thread = new Thread(() -> {
            try {
                step.run();
            } catch (Exception | LinkageError e) {
                // Only speed is at stake.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
