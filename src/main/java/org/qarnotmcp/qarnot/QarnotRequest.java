package org.qarnotmcp.qarnot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.qarnotmcp.Versions;
import org.qarnotmcp.credential.QarnotKey;
import org.qarnotmcp.tool.CallControl;

/**
 * The credential bridge and request builder of the shared {@code qarnot-api} route (bean {@code qarnotRequest}).
 *
 * <p>It removes every message header (tool arguments, MCP and Camel headers must never reach Qarnot), then sets
 * exactly: the caller's key in each header named by {@code qarnot.key-headers} (default {@code Authorization} and
 * {@code X-Api-Key}; the real API reads {@code Authorization} with the raw key, no scheme), {@code Accept},
 * {@code User-Agent}, and {@code Content-Type} when a body is sent. The URL is the configured base URL plus the
 * route's {@code qarnotPath} template, expanded by {@link PathTemplate}.
 */
public final class QarnotRequest {

    /** Route variables the tool route sets before calling {@code direct:qarnot-api}. */
    public static final String METHOD = "qarnotMethod";
    public static final String PATH = "qarnotPath";
    /** Set for error messages and logs: method and expanded path (no secret ever appears in a path). */
    public static final String REQUEST_LINE = "qarnotRequestLine";

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private final String baseUrl;
    private final List<String> keyHeaders;
    private final ObjectMapper mapper;

    public QarnotRequest(String baseUrl, List<String> keyHeaders, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.keyHeaders = List.copyOf(keyHeaders);
        this.mapper = mapper;
    }

    public void prepare(Exchange exchange) throws JsonProcessingException {
        CallControl control = CallControl.of(exchange);
        if (control != null) {
            control.throwIfCancelled(); // a cancelled call makes no further Qarnot request
        }
        Message message = exchange.getMessage();
        QarnotKey key = keyOf(exchange);
        String method = String.valueOf(exchange.getVariable(METHOD) == null ? "GET" : exchange.getVariable(METHOD))
                .toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("Variable " + METHOD + " must be one of " + METHODS + ", not " + method);
        }
        Object template = exchange.getVariable(PATH);
        if (template == null) {
            throw new IllegalArgumentException("The tool route must set the variable " + PATH + " before calling Qarnot");
        }
        String pathAndQuery = PathTemplate.expand(template.toString(), exchange::getVariable);
        Object body = message.getBody();

        message.getHeaders().clear();
        for (String header : keyHeaders) {
            message.setHeader(header, key.reveal());
        }
        message.setHeader("Accept", "application/json");
        message.setHeader("User-Agent", Versions.USER_AGENT);
        // The enum, not its name: camel-http would look up a String-to-enum converter on every call.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
        message.setHeader(Exchange.HTTP_URI, baseUrl + pathAndQuery);
        if (WITH_BODY.contains(method) && body != null) {
            message.setBody(body instanceof String s ? s : mapper.writeValueAsString(body));
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        } else {
            message.setBody(null);
        }
        int q = pathAndQuery.indexOf('?');
        exchange.setVariable(REQUEST_LINE, method + " " + (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)));
    }

    /** The key stays on the exchange as a property too, so that a route may call Qarnot more than once. */
    public static QarnotKey keyOf(Exchange exchange) {
        Object key = exchange.getMessage().getHeader(QarnotKey.HEADER);
        if (key == null) {
            key = exchange.getProperty(QarnotKey.HEADER);
        }
        if (!(key instanceof QarnotKey qarnotKey)) {
            throw new IllegalStateException("No caller credential on the exchange (header " + QarnotKey.HEADER + ")");
        }
        exchange.setProperty(QarnotKey.HEADER, qarnotKey);
        return qarnotKey;
    }
}
