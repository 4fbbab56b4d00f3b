package org.qarnotmcp.tool;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Options of one tool, set in the route's {@code from.parameters}:
 * <ul>
 * <li>{@code description} (required), {@code title};</li>
 * <li>{@code argSchema}: the input JSON Schema, written as YAML or JSON text (a {@code |} block), or a
 * {@code classpath:}/{@code file:} reference; {@code outputSchema}: the same for the result;</li>
 * <li>{@code readOnlyHint}, {@code destructiveHint}, {@code idempotentHint}, {@code openWorldHint};</li>
 * <li>{@code timeout}: this tool's own call timeout (e.g. {@code 60s}), else {@code mcp.tool-timeout};</li>
 * <li>instead of {@code argSchema}, simple arguments as in {@code ai-tool}: {@code parameter.<name>: string}
 * (or integer, number, boolean), {@code parameter.<name>.description}, {@code .required: true}, {@code .enum: a,b}.</li>
 * </ul>
 */
public class McpToolEndpoint extends DefaultEndpoint {

    private final String toolName;
    private String title;
    private String description;
    private String argSchema;
    private String outputSchema;
    private Boolean readOnlyHint;
    private Boolean destructiveHint;
    private Boolean idempotentHint;
    private Boolean openWorldHint;
    private String timeout;
    private java.util.Map<String, Object> parameters = java.util.Map.of();

    public McpToolEndpoint(String uri, McpToolComponent component, String toolName) {
        super(uri, component);
        this.toolName = toolName;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mcp-tool:" + toolName
                + " can only start a route ('from'); to call another route use 'to: direct:...'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        McpToolConsumer consumer = new McpToolConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public McpToolComponent getComponent() {
        return (McpToolComponent) super.getComponent();
    }

    public String getToolName() {
        return toolName;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getArgSchema() {
        return argSchema;
    }

    public void setArgSchema(String argSchema) {
        this.argSchema = argSchema;
    }

    public String getOutputSchema() {
        return outputSchema;
    }

    public void setOutputSchema(String outputSchema) {
        this.outputSchema = outputSchema;
    }

    public Boolean getReadOnlyHint() {
        return readOnlyHint;
    }

    public void setReadOnlyHint(Boolean readOnlyHint) {
        this.readOnlyHint = readOnlyHint;
    }

    public Boolean getDestructiveHint() {
        return destructiveHint;
    }

    public void setDestructiveHint(Boolean destructiveHint) {
        this.destructiveHint = destructiveHint;
    }

    public Boolean getIdempotentHint() {
        return idempotentHint;
    }

    public void setIdempotentHint(Boolean idempotentHint) {
        this.idempotentHint = idempotentHint;
    }

    public Boolean getOpenWorldHint() {
        return openWorldHint;
    }

    public void setOpenWorldHint(Boolean openWorldHint) {
        this.openWorldHint = openWorldHint;
    }

    public java.util.Map<String, Object> getParameters() {
        return parameters;
    }

    public void setParameters(java.util.Map<String, Object> parameters) {
        this.parameters = parameters;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }
}
