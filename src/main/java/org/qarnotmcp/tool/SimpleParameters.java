package org.qarnotmcp.tool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Camel {@code ai-tool} style arguments, for tools too simple to need a schema:
 * {@code parameter.uuid: string}, {@code parameter.uuid.description: ...}, {@code parameter.uuid.required: true},
 * {@code parameter.stream.enum: stdout,stderr}. Turned into the equivalent JSON Schema object.
 */
final class SimpleParameters {

    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean");
    private static final Set<String> ATTRIBUTES = Set.of("description", "required", "enum");

    private SimpleParameters() {
    }

    static Map<String, Object> toSchema(Map<String, Object> parameters, String where) {
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        parameters.keySet().stream().filter(k -> !k.contains(".")).sorted().forEach(name -> {
            String type = String.valueOf(parameters.get(name)).trim();
            if (!TYPES.contains(type)) {
                throw new ToolDefinitionException(where + ": parameter." + name + " must be one of " + TYPES + ", not '" + type + "'.");
            }
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("type", type);
            properties.put(name, property);
        });
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            int dot = entry.getKey().indexOf('.');
            if (dot < 0) {
                continue;
            }
            String name = entry.getKey().substring(0, dot);
            String attribute = entry.getKey().substring(dot + 1);
            Map<String, Object> property = properties.get(name);
            if (property == null || !ATTRIBUTES.contains(attribute)) {
                throw new ToolDefinitionException(where + ": unknown option parameter." + entry.getKey()
                        + "; declare parameter." + name + ": <type> and use .description, .required or .enum.");
            }
            String value = String.valueOf(entry.getValue());
            switch (attribute) {
                case "description" -> property.put("description", value);
                case "enum" -> property.put("enum", Arrays.stream(value.split(",")).map(String::trim).toList());
                default -> {
                    if (Boolean.parseBoolean(value)) {
                        required.add(name);
                    }
                }
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("additionalProperties", false);
        if (!required.isEmpty()) {
            schema.put("required", required.stream().sorted().toList());
        }
        return schema;
    }
}
