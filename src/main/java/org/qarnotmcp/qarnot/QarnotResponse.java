package org.qarnotmcp.qarnot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.qarnotmcp.CallerText;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.KeyMask;
import org.qarnotmcp.credential.QarnotKey;

/**
 * Reads Qarnot's answer in the shared {@code qarnot-api} route (bean {@code qarnotResponse}) from the response stream
 * (camel-http hands it over unread): a 2xx JSON body becomes a Map or List, read up to {@code QARNOT_MAX_JSON_BYTES};
 * a log keeps only its last lines; anything else becomes a {@link QarnotApiException} whose message says what to do,
 * with the caller's key masked wherever Qarnot's text quotes it. Every HTTP header, the key included, is dropped.
 */
public final class QarnotResponse {

    /** Optional route variable: what to tell the model on 404, e.g. "No task with uuid X; list_tasks shows tasks". */
    public static final String NOT_FOUND_HINT = "qarnotNotFound";
    /** Set after the call: Qarnot's HTTP status. */
    public static final String STATUS = "qarnotStatus";

    /** Optional route variable: what the answer is. json (default): an object or array; tail: a log, of which the
     *  last {@link #TAIL_LINES} lines are kept; none: nothing is read (abort, delete). */
    public static final String ANSWER = "qarnotAnswer";
    /** With {@code qarnotAnswer: tail}: how many last lines to keep. */
    public static final String TAIL_LINES = "qarnotTailLines";
    /** Set after a tail read: lines in the whole log. */
    public static final String LINE_COUNT = "qarnotLineCount";

    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final long TAIL_MAX_CHARS = 1_000_000;
    private static final int LINE_MAX_CHARS = 10_000;

    private final ObjectMapper mapper;
    private final QarnotErrors errors;
    private final String host;
    private final long readTimeoutMs;
    private final long maxJsonBytes;

    public QarnotResponse(ObjectMapper mapper, String baseUrl, long readTimeoutMs, long maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
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
        QarnotKey key = exchange.getProperty(QarnotKey.HEADER, QarnotKey.class);
        String request = exchange.getVariable(QarnotRequest.REQUEST_LINE, "the request", String.class);
        Object body = message.getBody();
        resetHeaders(exchange);
        exchange.setVariable(STATUS, status);
        try (InputStream in = streamOf(body)) {
            if (status < 200 || status >= 300) {
                String text = in == null ? null : BoundedBody.head(in, MAX_ERROR_BYTES);
                Object hint = exchange.getVariable(NOT_FOUND_HINT);
                throw new QarnotApiException(status, errors.describe(status, KeyMask.mask(text, key), seconds(retryAfter),
                        hint == null ? null : hint.toString()));
            }
            switch (String.valueOf(exchange.getVariable(ANSWER) == null ? "json" : exchange.getVariable(ANSWER))) {
                case "none" -> message.setBody(null);
                case "tail" -> {
                    LogTail tail = in == null ? null : LogTail.read(in, charsetOf(contentType),
                            exchange.getVariable(TAIL_LINES, 200, Integer.class), TAIL_MAX_CHARS, LINE_MAX_CHARS);
                    exchange.setVariable(LINE_COUNT, tail == null ? 0L : tail.lineCount());
                    message.setBody(tail == null ? "" : tail.text());
                }
                default -> message.setBody(json(status, request, contentType, in));
            }
        } catch (BoundedBody.TooLarge e) {
            throw new ToolException("Qarnot's answer to " + request + " is larger than " + megabytes(maxJsonBytes)
                    + " (QARNOT_MAX_JSON_BYTES), so it was not read. Ask for less: a smaller pageSize, a filter, or one "
                    + "item at a time.");
        } catch (IOException e) {
            throw new QarnotApiException(0, describe(e));
        }
    }

    /** A 2xx where JSON is expected must be a JSON object or array: never "nothing" read as an empty list. */
    private Object json(int status, String request, String contentType, InputStream in) throws IOException {
        Object value = null;
        boolean parsed = false;
        if (in != null) {
            try (JsonParser parser = mapper.createParser(new BoundedBody(in, maxJsonBytes))) {
                if (parser.nextToken() != null) {
                    value = mapper.readValue(parser, Object.class);
                    parsed = true;
                }
            } catch (BoundedBody.TooLarge e) {
                throw e;
            } catch (JsonProcessingException e) {
                throw notJson(status, request, contentType, "a body that is not valid JSON");
            }
        }
        if (!parsed) {
            throw new QarnotApiException(502, "Qarnot answered HTTP " + status + " to " + request + " with an empty body "
                    + "where JSON was expected. This is a Qarnot-side problem; try again in a minute.");
        }
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            throw notJson(status, request, contentType, "JSON that is not an object or array");
        }
        return value;
    }

    private static QarnotApiException notJson(int status, String request, String contentType, String what) {
        return new QarnotApiException(502, "Qarnot answered HTTP " + status + " to " + request + " with " + what
                + " where a JSON object or array was expected (Content-Type " + (contentType == null ? "none"
                : "'" + CallerText.oneLine(contentType, 60) + "'") + "). This is a Qarnot-side problem (a proxy page?); "
                + "try again in a minute.");
    }

    private static InputStream streamOf(Object body) {
        if (body instanceof InputStream in) {
            return in;
        }
        if (body instanceof byte[] bytes) {
            return new ByteArrayInputStream(bytes);
        }
        if (body instanceof String text) {
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private static Charset charsetOf(String contentType) {
        if (contentType != null) {
            int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                try {
                    return Charset.forName(contentType.substring(at + 8).split(";")[0].trim().replace("\"", ""));
                } catch (RuntimeException unknown) {
                    // fall back to UTF-8
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String megabytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
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
