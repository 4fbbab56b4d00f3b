package org.qarnotmcp.qarnot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.ToolException;

class PathTemplateTest {

    static String expand(String template, Map<String, Object> values) {
        return PathTemplate.expand(template, values::get);
    }

    @Test
    void fillsSegmentsOptionalTrailingSegmentsAndQueries() {
        Map<String, Object> v = new HashMap<>(Map.of("uuid", "e4af4f1f-32ae", "stream", "stdout"));
        assertThat(expand("/tasks/{uuid}/{stream}/{instanceId?}", v)).isEqualTo("/tasks/e4af4f1f-32ae/stdout");
        v.put("instanceId", 3);
        assertThat(expand("/tasks/{uuid}/{stream}/{instanceId?}", v)).isEqualTo("/tasks/e4af4f1f-32ae/stdout/3");
        v.put("tags", List.of("a b", "c&d=e"));
        assertThat(expand("/tasks?tag={tags}&limit={limit}&fixed=1", v)).isEqualTo("/tasks?tag=a%20b&tag=c%26d%3De&fixed=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../pools", "a/b", "x?y", "x#y", "%2F", "a%2Fb", "a b", "a\\b", "", "t\u0000"})
    void aValueThatCouldChangeThePathIsRefused(String uuid) {
        assertThatThrownBy(() -> expand("/tasks/{uuid}/abort", Map.of("uuid", uuid)))
                .isInstanceOf(ToolException.class).hasMessageContaining("'uuid'");
    }

    @Test
    void aMissingRequiredValueIsNamed() {
        assertThatThrownBy(() -> expand("/tasks/{uuid}", Map.of())).isInstanceOf(ToolException.class)
                .hasMessageContaining("'uuid' is required");
    }

    @Test
    void aBadTemplateIsAProgrammingError() {
        assertThatThrownBy(() -> expand("tasks/{uuid}", Map.of("uuid", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> expand("/tasks/../{uuid}x", Map.of("uuid", "x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
