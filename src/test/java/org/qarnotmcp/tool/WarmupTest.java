package org.qarnotmcp.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import groovy.lang.GroovyClassLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm-up swallows its own failures (only speed is at stake), so its sample script is checked here. */
class WarmupTest {

    @Test
    void theSampleScriptCompilesAndRunsOnItsMadeUpData() throws Exception {
        try (GroovyClassLoader loader = new GroovyClassLoader(WarmupTest.class.getClassLoader())) {
            Object result = Warmup.runSample(loader.parseClass(Warmup.SAMPLE_SCRIPT));
            assertEquals(Map.of("items", List.of(Map.of("id", "t-1", "name", "warm-up", "n", 1.5)), "count", 1,
                    "filter", Map.of("operator", "In", "values", List.of("Success"))), toPlain(result));
        }
    }

    /** GStrings to Strings, so that the result compares with plain Java maps. */
    private static Object toPlain(Object value) {
        if (value instanceof Map<?, ?> map) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(WarmupTest::toPlain).toList();
        }
        return value instanceof CharSequence text ? text.toString() : value;
    }
}
