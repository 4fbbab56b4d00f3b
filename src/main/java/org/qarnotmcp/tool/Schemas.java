package org.qarnotmcp.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Reads a tool's schema text (YAML or JSON, inline or from a {@code classpath:}/{@code file:} resource), checks it
 * against the JSON Schema 2020-12 meta-schema and compiles it once for argument validation.
 */
final class Schemas {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaValidator META = new DefaultJsonSchemaValidator(JSON);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private Schemas() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(CamelContext context, String text, String option, String where) {
        String source = text.strip();
        try {
            if (source.startsWith("classpath:") || source.startsWith("file:")) {
                Resource resource = PluginHelper.getResourceLoader(context).resolveResource(source);
                if (resource == null || !resource.exists()) {
                    throw new ToolDefinitionException(where + ": " + option + " refers to " + source + ", which does not exist.");
                }
                try (InputStream in = resource.getInputStream()) {
                    source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            Object parsed = YAML.readValue(source, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new ToolDefinitionException(where + ": " + option + " must be a JSON Schema object "
                        + "(type: object, properties: ...), not " + (parsed == null ? "empty" : parsed.getClass().getSimpleName()) + ".");
            }
            Map<String, Object> schema = (Map<String, Object>) map;
            if (!"object".equals(schema.get("type"))) {
                throw new ToolDefinitionException(where + ": " + option + " must have 'type: object' at the top "
                        + "(MCP passes tool arguments and structured results as one JSON object).");
            }
            String unknown = unknownKeyword(schema, "");
            if (unknown != null) {
                throw new ToolDefinitionException(where + ": " + option + " has " + unknown + ".");
            }
            JsonSchemaValidator.ValidationResponse conforms = META.validateSchema(schema);
            if (!conforms.valid()) {
                throw new ToolDefinitionException(where + ": " + option + " is not a valid JSON Schema 2020-12: "
                        + conforms.errorMessage());
            }
            return schema;
        } catch (ToolDefinitionException e) {
            throw e;
        } catch (Exception e) {
            throw new ToolDefinitionException(where + ": " + option + " is not valid YAML/JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** JSON Schema 2020-12 keywords; anything else in a schema is almost always a mistake. */
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("$schema", "$id", "$ref", "$defs", "$comment",
            "$anchor", "$dynamicRef", "$dynamicAnchor", "definitions", "type", "title", "description", "default", "examples",
            "deprecated", "readOnly", "writeOnly", "enum", "const", "format", "pattern", "minLength", "maxLength",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "properties", "required",
            "additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
            "dependentRequired", "dependentSchemas", "unevaluatedProperties", "items", "prefixItems", "contains",
            "minContains", "maxContains", "minItems", "maxItems", "uniqueItems", "unevaluatedItems", "allOf", "anyOf",
            "oneOf", "not", "if", "then", "else", "contentEncoding", "contentMediaType", "contentSchema",
            // MCP 2026-07-28: the argument is mirrored into an Mcp-Param-<name> header (see ToolDefinition)
            "x-mcp-header");
    private static final java.util.Set<String> SCHEMA_MAPS = java.util.Set.of("properties", "patternProperties", "$defs",
            "definitions", "dependentSchemas");
    private static final java.util.Set<String> SCHEMA_LISTS = java.util.Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final java.util.Set<String> SUBSCHEMAS = java.util.Set.of("items", "additionalProperties",
            "propertyNames", "contains", "not", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems",
            "contentSchema");

    /** The path of the first key that is not a JSON Schema keyword, walking every subschema; null when none. */
    static String unknownKeyword(Map<?, ?> schema, String path) {
        for (Map.Entry<?, ?> entry : schema.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            if (!KEYWORDS.contains(key)) {
                return "an unknown keyword '" + key + "' at " + (path.isEmpty() ? "the top" : path)
                        + " (a misspelling, or an unquoted comma inside a {...} flow mapping: quote the text)";
            }
            if (key.equals("pattern") && value instanceof String regex) {
                // Checked here: the validator would only fail at call time, with a stack trace naming no tool.
                try {
                    java.util.regex.Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    return "a 'pattern' at " + (path.isEmpty() ? "the top" : path) + " that is not a valid regular "
                            + "expression (" + e.getDescription() + " near index " + e.getIndex() + ")";
                }
            }
            String found = null;
            if (SCHEMA_MAPS.contains(key) && value instanceof Map<?, ?> named) {
                for (Map.Entry<?, ?> sub : named.entrySet()) {
                    if (found == null && sub.getValue() instanceof Map<?, ?> subschema) {
                        found = unknownKeyword(subschema, path + "/" + key + "/" + sub.getKey());
                    }
                }
            } else if (SCHEMA_LISTS.contains(key) && value instanceof java.util.List<?> list) {
                for (int i = 0; i < list.size() && found == null; i++) {
                    if (list.get(i) instanceof Map<?, ?> subschema) {
                        found = unknownKeyword(subschema, path + "/" + key + "/" + i);
                    }
                }
            } else if (SUBSCHEMAS.contains(key) && value instanceof Map<?, ?> subschema) {
                found = unknownKeyword(subschema, path + "/" + key);
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Loads the meta-schema and the validator (start-up warm-up; tool schemas are checked while routes start). */
    static void warm() {
        META.validateSchema(Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer"))));
        compile(Map.of("type", "object")).validate(toTree(Map.of("n", 1)));
    }

    static Schema compile(Map<String, Object> schema) {
        JsonNode node = JSON.valueToTree(schema);
        return REGISTRY.getSchema(node);
    }

    static JsonNode toTree(Object value) {
        return JSON.valueToTree(value);
    }
}
