package org.qarnotmcp.tool;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP SDK checks every structured tool result against the tool's output schema. Its default validator finds the
 * compiled schema by hashing the whole schema map on every call and then writes the result out once more as JSON
 * text; this one finds it by identity (each registered tool keeps its schema map) and writes nothing: that text is
 * only used by the SDK when a result has no content, and {@link ToolResults} always gives one.
 */
public final class OutputSchemaValidator implements JsonSchemaValidator {

    /** Beyond this many schemas (reloads make new ones), start afresh rather than keep old ones forever. */
    private static final int MAX_SCHEMAS = 256;

    private final Map<Identity, Schema> compiled = new ConcurrentHashMap<>();

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        if (schema == null || structuredContent == null) {
            return ValidationResponse.asInvalid("Structured content or output schema is missing");
        }
        Identity key = new Identity(schema);
        Schema validator = compiled.get(key);
        if (validator == null) {
            if (compiled.size() >= MAX_SCHEMAS) {
                compiled.clear();
            }
            validator = compiled.computeIfAbsent(key, k -> Schemas.compile(schema));
        }
        List<Error> errors = validator.validate(Schemas.toTree(structuredContent));
        if (!errors.isEmpty()) {
            return ValidationResponse.asInvalid("structuredContent does not match the tool's outputSchema: " + errors);
        }
        return ValidationResponse.asValid(null);
    }

    /** A map key that compares by reference: hashing a schema map walks all of it. */
    private static final class Identity {
        private final Object value;

        Identity(Object value) {
            this.value = value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }
}
