package org.qarnotmcp.storage;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;
import org.qarnotmcp.qarnot.QarnotRequest;
import org.qarnotmcp.qarnot.QarnotResponse;

/**
 * A GET on the Qarnot API from Java, through the shared {@code direct:qarnot-api} route, so that the storage
 * bridge's own look-ups ({@code /info}, {@code /settings}) get the same credential bridge, retries, timeouts,
 * metrics and error messages as every tool. Runs on its own exchange: the tool's body and variables stay as they are.
 */
final class QarnotLookup {

    private final CamelContext context;
    private volatile ProducerTemplate template;

    QarnotLookup(CamelContext context) {
        this.context = context;
    }

    Map<?, ?> get(String path, QarnotKey key, String notFound) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(QarnotKey.HEADER, key);
        exchange.setVariable(QarnotRequest.PATH, path);
        exchange.setVariable(QarnotResponse.NOT_FOUND_HINT, notFound);
        producer().send("direct:qarnot-api", exchange);
        if (exchange.getException() instanceof RuntimeException e) {
            throw e;
        }
        if (exchange.getException() != null) {
            throw new ToolException("Qarnot could not be asked for " + path + "; try again.");
        }
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof Map<?, ?> map)) {
            throw new ToolException("Qarnot answered GET " + path + " with something that is not a JSON object; "
                    + "try again later.");
        }
        return map;
    }

    private ProducerTemplate producer() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
