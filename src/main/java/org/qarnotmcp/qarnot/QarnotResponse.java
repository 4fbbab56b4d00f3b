package org.qarnotmcp.qarnot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.qarnotmcp.credential.QarnotKey;

/**
 * Reads Qarnot's answer in the shared {@code qarnot-api} route (bean {@code qarnotResponse}): a 2xx JSON body
 * becomes a Map or List, a text body (logs) stays a String, anything else becomes a {@link QarnotApiException}
 * whose message says what to do. Every HTTP header, the key included, is dropped from the message.
 */
public final class QarnotResponse {

    /** Optional route variable: what to tell the model on 404, e.g. "No task with uuid X; list_tasks shows tasks". */
    public static final String NOT_FOUND_HINT = "qarnotNotFound";
    /** Set after the call: Qarnot's HTTP status. */
    public static final String STATUS = "qarnotStatus";

    private final ObjectMapper mapper;
    private final QarnotErrors errors;
    private final String host;
    private final long readTimeoutMs;

    public QarnotResponse(ObjectMapper mapper, String baseUrl, long readTimeoutMs) {
        this.mapper = mapper;
        this.errors = new QarnotErrors(mapper);
        this.host = hostOf(baseUrl);
        this.readTimeoutMs = readTimeoutMs;
    }

    public void handle(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        if (status >= 200 && status < 300 && contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            // The usual answer: the JSON stream straight into the parser, without copying it into a String first.
            InputStream in = message.getBody(InputStream.class);
            resetHeaders(exchange);
            exchange.setVariable(STATUS, status);
            message.setBody(parseJson(status, in));
            return;
        }
        String text = message.getBody(String.class);
        resetHeaders(exchange);
        exchange.setVariable(STATUS, status);

        if (status >= 200 && status < 300) {
            message.setBody(parse(status, text, contentType));
            return;
        }
        Object hint = exchange.getVariable(NOT_FOUND_HINT);
        throw new QarnotApiException(status, errors.describe(status, text, seconds(retryAfter),
                hint == null ? null : hint.toString()));
    }

    /** Called from the route's doCatch when no HTTP answer came at all. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        resetHeaders(exchange);
        throw new QarnotApiException(0, describe(cause));
    }

    String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "Could not connect to Qarnot at " + host + " (connection refused or unreachable). "
                        + "Check QARNOT_BASE_URL and the network, then try again.";
            }
            if (t instanceof UnknownHostException) {
                return "Could not resolve the Qarnot host " + host + ". Check QARNOT_BASE_URL and DNS.";
            }
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "Qarnot did not answer within " + (readTimeoutMs / 1000) + " s. It may be busy: try again, "
                        + "or ask for less (a smaller page).";
            }
            if (t instanceof SSLException) {
                return "The TLS connection to Qarnot at " + host + " failed. Check QARNOT_BASE_URL and the trust store.";
            }
        }
        return "The connection to Qarnot at " + host + " failed (" + (cause instanceof IOException
                ? cause.getClass().getSimpleName() : "I/O error") + "). Try again.";
    }

    private Object parseJson(int status, InputStream in) {
        if (in == null) {
            return null;
        }
        try (in; JsonParser parser = mapper.createParser(in)) {
            return parser.nextToken() == null ? null : mapper.readValue(parser, Object.class);
        } catch (IOException e) {
            throw new QarnotApiException(status, "Qarnot answered HTTP " + status + " with a body that is not valid "
                    + "JSON. This is a Qarnot-side problem; try again later.");
        }
    }

    private Object parse(int status, String text, String contentType) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String trimmed = text.stripLeading();
        boolean looksJson = trimmed.startsWith("{") || trimmed.startsWith("[");
        if (type.contains("json") || (!type.startsWith("text/") && looksJson)) {
            try {
                return mapper.readValue(text, Object.class);
            } catch (IOException e) {
                throw new QarnotApiException(status, "Qarnot answered HTTP " + status + " with a body that is not valid JSON ("
                        + text.length() + " characters). This is a Qarnot-side problem; try again later.");
            }
        }
        return text;
    }

    private static void resetHeaders(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        Object key = exchange.getProperty(QarnotKey.HEADER);
        if (key != null) {
            message.setHeader(QarnotKey.HEADER, key);
        }
    }

    private static Long seconds(String retryAfter) {
        try {
            return retryAfter == null ? null : Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hostOf(String baseUrl) {
        try {
            URI uri = URI.create(baseUrl);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (RuntimeException e) {
            return "the configured QARNOT_BASE_URL";
        }
    }
}
