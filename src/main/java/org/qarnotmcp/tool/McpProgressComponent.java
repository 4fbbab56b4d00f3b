package org.qarnotmcp.tool;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * The {@code mcp-progress:} step: a tool route tells the client how far it is, in words a person can read.
 * <pre>{@code
 * - to:
 *     uri: mcp-progress:poll
 *     parameters:
 *       message: "task ${variable.task.name}: ${variable.task.state}, ${variable.task.progress}%"
 * }</pre>
 * {@code message} is a Simple template (without it the body is sent as text). When the client asked for progress
 * (a progress token and an SSE-accepting request) it becomes a {@code notifications/progress}; otherwise the step
 * does nothing. Once the client has cancelled the call, the step ends the route instead.
 */
public class McpProgressComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Object template = parameters.remove("message");
        Expression message = template == null ? null
                : getCamelContext().resolveLanguage("simple").createExpression(template.toString());
        return new ProgressEndpoint(uri, this, message);
    }

    private static final class ProgressEndpoint extends DefaultEndpoint {

        private final Expression message;

        ProgressEndpoint(String uri, McpProgressComponent component, Expression message) {
            super(uri, component);
            this.message = message;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    CallControl control = CallControl.of(exchange);
                    if (control == null) {
                        return;
                    }
                    control.throwIfCancelled();
                    if (control.streaming()) {
                        control.progress(message == null ? exchange.getMessage().getBody(String.class)
                                : message.evaluate(exchange, String.class));
                    }
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("mcp-progress is a step (to:), not a route start (from:)");
        }

        @Override
        public boolean isRemote() {
            return false;
        }
    }
}
