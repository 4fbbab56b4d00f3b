package org.qarnotmcp.qarnot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

class QarnotRetryStrategyTest {

    final QarnotRetryStrategy strategy = new QarnotRetryStrategy(3, Duration.ofMillis(500), Duration.ofSeconds(10));

    boolean retries(String method, String path, int status, int execCount) {
        HttpCoreContext context = HttpCoreContext.create();
        context.setRequest(new BasicClassicHttpRequest(method, path));
        return strategy.retryRequest(new BasicHttpResponse(status), execCount, context);
    }

    @Test
    void transientAnswersAreRetriedOnlyWhenRepeatingIsSafe() {
        assertThat(retries("GET", "/tasks/x", 500, 1)).isTrue();
        assertThat(retries("POST", "/tasks/summaries/paginate", 502, 1)).isTrue();
        assertThat(retries("POST", "/tasks", 429, 1)).isTrue();
        assertThat(retries("POST", "/tasks", 503, 1)).isTrue();
        assertThat(retries("POST", "/tasks", 500, 1)).isFalse();
        assertThat(retries("POST", "/tasks/x/stdout", 504, 1)).isFalse();
        assertThat(retries("GET", "/tasks/x", 404, 1)).isFalse();
        assertThat(retries("GET", "/tasks/x", 500, 4)).isFalse();
    }

    @Test
    void backoffDoublesAndRetryAfterWins() {
        BasicHttpResponse plain = new BasicHttpResponse(503);
        assertThat(strategy.getRetryInterval(plain, 1, null).toMilliseconds()).isEqualTo(500);
        assertThat(strategy.getRetryInterval(plain, 2, null).toMilliseconds()).isEqualTo(1000);
        assertThat(strategy.getRetryInterval(plain, 3, null).toMilliseconds()).isEqualTo(2000);
        BasicHttpResponse withSeconds = new BasicHttpResponse(429);
        withSeconds.addHeader("Retry-After", "7");
        assertThat(strategy.getRetryInterval(withSeconds, 1, null).toMilliseconds()).isEqualTo(7000);
        BasicHttpResponse withDate = new BasicHttpResponse(503);
        withDate.addHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(4)));
        assertThat(QarnotRetryStrategy.retryAfterMillis(withDate)).isBetween(2000L, 4000L);
    }

    @Test
    void aRetryAfterOfZeroNegativeOrPastGivesTheBackoff() {
        for (String value : new String[] {"0", "-3", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusHours(1))}) {
            BasicHttpResponse response = new BasicHttpResponse(503);
            response.addHeader("Retry-After", value);
            assertThat(strategy.getRetryInterval(response, 2, null).toMilliseconds()).as(value).isEqualTo(1000);
        }
    }
}
