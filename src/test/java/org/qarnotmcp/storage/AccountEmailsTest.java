package org.qarnotmcp.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.BearerCredentials;
import org.qarnotmcp.credential.QarnotKey;

/** The S3 access key (account email) is asked once per key, kept for the TTL, bounded, and keyed by a hash. */
class AccountEmailsTest {

    final AtomicLong now = new AtomicLong();
    final List<String> asked = new ArrayList<>();

    AccountEmails emails(int max) {
        return new AccountEmails(key -> {
            asked.add(key.reveal());
            return key.reveal().equals("qk-nomail") ? null : key.reveal() + "@example.com";
        }, Duration.ofMinutes(5), max, now::get);
    }

    static QarnotKey key(String k) {
        return BearerCredentials.parse("Bearer " + k);
    }

    @Test
    void askedOncePerKeyUntilTheEntryExpires() {
        AccountEmails emails = emails(10);
        assertThat(emails.emailOf(key("qk-a"))).isEqualTo("qk-a@example.com");
        assertThat(emails.emailOf(key("qk-a"))).isEqualTo("qk-a@example.com");
        assertThat(emails.emailOf(key("qk-b"))).isEqualTo("qk-b@example.com");
        assertThat(asked).containsExactly("qk-a", "qk-b");
        now.addAndGet(Duration.ofMinutes(5).toNanos() + 1);
        emails.emailOf(key("qk-a"));
        assertThat(asked).containsExactly("qk-a", "qk-b", "qk-a");
    }

    @Test
    void boundedLeastRecentlyUsedFirst() {
        AccountEmails emails = emails(2);
        emails.emailOf(key("qk-1"));
        emails.emailOf(key("qk-2"));
        emails.emailOf(key("qk-1")); // qk-2 is now the least recently used
        emails.emailOf(key("qk-3"));
        assertThat(emails.size()).isEqualTo(2);
        emails.emailOf(key("qk-1"));
        emails.emailOf(key("qk-2"));
        assertThat(asked).containsExactly("qk-1", "qk-2", "qk-3", "qk-2");
    }

    @Test
    void anAccountWithoutEmailIsAClearErrorAndNotCached() {
        AccountEmails emails = emails(10);
        assertThatThrownBy(() -> emails.emailOf(key("qk-nomail"))).isInstanceOf(ToolException.class)
                .hasMessageContaining("no email").hasMessageNotContaining("qk-nomail");
        assertThat(emails.size()).isZero();
    }
}
