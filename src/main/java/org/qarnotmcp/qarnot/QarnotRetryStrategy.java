package org.qarnotmcp.qarnot;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded retries with exponential backoff for transient Qarnot answers, honouring {@code Retry-After}.
 *
 * <p>429 and 503 mean the request was not processed, so every method is retried. 500, 502 and 504 may come after
 * Qarnot acted, so only requests that are safe to repeat are retried: idempotent methods and the read-only POSTs
 * ({@code .../paginate}, {@code .../search}). A retried {@code POST /tasks} would create a second task. A
 * {@code Retry-After} longer than the allowed wait is not waited for: the caller gets the error at once.
 */
public final class QarnotRetryStrategy implements HttpRequestRetryStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(QarnotRetryStrategy.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final int maxRetries;
    private final long baseDelayMs;
    private final long maxWaitMs;
    private final LongAdder retries = new LongAdder();

    public QarnotRetryStrategy(int maxRetries, Duration baseDelay, Duration maxWait) {
        this.maxRetries = maxRetries;
        this.baseDelayMs = baseDelay.toMillis();
        this.maxWaitMs = maxWait.toMillis();
    }

    /** Retries done since start, for metrics. */
    public long retries() {
        return retries.sum();
    }

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        // Only a connection that closed without any answer is retried; refused connections and timeouts fail fast.
        boolean retry = execCount <= maxRetries && exception instanceof NoHttpResponseException && safeToRepeat(request);
        if (retry) {
            retries.increment();
            LOG.info("Qarnot closed the connection without answering {} {}; retry {} of {}",
                    request.getMethod(), pathOf(request), execCount, maxRetries);
        }
        return retry;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        if (execCount > maxRetries) {
            return false;
        }
        int code = response.getCode();
        HttpRequest request = HttpCoreContext.cast(context).getRequest();
        boolean transientCode = code == 429 || code == 503
                || (code == 500 || code == 502 || code == 504) && request != null && safeToRepeat(request);
        if (!transientCode) {
            return false;
        }
        Long retryAfter = retryAfterMillis(response);
        if (retryAfter != null && retryAfter > maxWaitMs) {
            return false;
        }
        retries.increment();
        LOG.info("Qarnot answered {} to {} {}; retry {} of {} in {} ms", code,
                request == null ? "?" : request.getMethod(), request == null ? "" : pathOf(request), execCount, maxRetries,
                delayMillis(response, execCount));
        return true;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ofMilliseconds(delayMillis(response, execCount));
    }

    private long delayMillis(HttpResponse response, int execCount) {
        Long retryAfter = retryAfterMillis(response);
        if (retryAfter != null) {
            return retryAfter;
        }
        long backoff = baseDelayMs << Math.min(Math.max(execCount - 1, 0), 20);
        return Math.min(backoff, maxWaitMs);
    }

    static boolean safeToRepeat(HttpRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (IDEMPOTENT.contains(method)) {
            return true;
        }
        String path = pathOf(request);
        return method.equals("POST") && (path.endsWith("/paginate") || path.endsWith("/search"));
    }

    private static String pathOf(HttpRequest request) {
        String path = request.getPath();
        int q = path == null ? -1 : path.indexOf('?');
        return path == null ? "" : q < 0 ? path : path.substring(0, q);
    }

    /**
     * Retry-After as delta-seconds or an HTTP date; null when absent, unreadable, zero, negative or in the past, so
     * that the exponential backoff applies (else every retry, creates included, would go out back to back).
     */
    static Long retryAfterMillis(HttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds <= 0 ? null : Math.min(seconds, Long.MAX_VALUE / 1000) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                long millis = Duration.between(ZonedDateTime.now(when.getZone()), when).toMillis();
                return millis <= 0 ? null : millis;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
