package org.qarnotmcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import groovy.lang.GString;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.runtime.GStringImpl;
import org.junit.jupiter.api.Test;

/** The benchmark's shortcuts keep their behaviour: output schemas still checked, Groovy text still made plain. */
class BenchFastPathsTest {

    final OutputSchemaValidator validator = new OutputSchemaValidator();

    static Map<String, Object> schema() {
        return Map.of("type", "object", "required", List.of("count"),
                "properties", Map.of("count", Map.of("type", "integer"), "tasks", Map.of("type", "array")));
    }

    @Test
    void aConformingResultIsValid() {
        Map<String, Object> schema = schema();
        assertThat(validator.validate(schema, Map.of("count", 2, "tasks", List.of())).valid()).isTrue();
        assertThat(validator.validate(schema, Map.of("count", 3)).valid()).isTrue();
    }

    @Test
    void aResultBreakingTheSchemaIsInvalidWithTheReason() {
        ValidationResponse response = validator.validate(schema(), Map.of("count", "two"));
        assertThat(response.valid()).isFalse();
        assertThat(response.errorMessage()).contains("outputSchema", "count");
        assertThat(validator.validate(schema(), Map.of("tasks", List.of())).valid()).isFalse();
    }

    @Test
    void eachSchemaMapIsCompiledOnItsOwnEvenWhenEqualToAnother() {
        Map<String, Object> strict = new LinkedHashMap<>(schema());
        Map<String, Object> loose = Map.of("type", "object");
        assertThat(validator.validate(strict, Map.of("count", "x")).valid()).isFalse();
        assertThat(validator.validate(loose, Map.of("count", "x")).valid()).isTrue();
        // A changed copy (a reloaded tool) is a new map, checked against its own rules.
        Map<String, Object> reloaded = new LinkedHashMap<>(strict);
        reloaded.put("required", List.of());
        assertThat(validator.validate(reloaded, Map.of("tasks", List.of())).valid()).isTrue();
        assertThat(validator.validate(strict, Map.of("tasks", List.of())).valid()).isFalse();
    }

    @Test
    void plainResultsAreUsedAsTheyAre() {
        Map<String, Object> value = Map.of("tasks", List.of(Map.of("uuid", "u", "progress", 1.5)), "count", 1);
        assertThat(ToolResults.plain(value)).isSameAs(value);
    }

    @Test
    void groovyTextAndNonStringKeysAreStillMadePlain() {
        GString name = new GStringImpl(new Object[] {"x"}, new String[] {"task-", ""});
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put(1, name);
        Object plain = ToolResults.plain(Map.of("tasks", List.of(inner)));
        assertThat(plain).isEqualTo(Map.of("tasks", List.of(Map.of("1", "task-x"))));
        Object task = ((List<?>) ((Map<?, ?>) plain).get("tasks")).get(0);
        assertThat(((Map<?, ?>) task).get("1")).isInstanceOf(String.class);
    }
}
