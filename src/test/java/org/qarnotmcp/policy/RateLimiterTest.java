package org.qarnotmcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aBurstThenOneCallPerIntervalWithTheWaitRoundedUp() {
        RateLimiter limiter = new RateLimiter(30, 3, now::get); // one call each 2 s
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-a")).isEqualTo(2);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(limiter.acquire("u-a")).isEqualTo(1); // 0.75 of a call refilled: 0.5 s left, said as 1 s
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-b")).isZero(); // each caller has its own bucket
    }

    @Test
    void aRefusedCallTakesNothingAndAnIdleBucketFillsOnlyToTheBurst() {
        RateLimiter limiter = new RateLimiter(60, 2, now::get);
        limiter.acquire("u-a");
        limiter.acquire("u-a");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("u-a")).isEqualTo(1);
        }
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-a")).isZero();
        assertThat(limiter.acquire("u-a")).isEqualTo(1);
    }

    @Test
    void offByDefaultAndIdleCallersAreSweptOut() {
        assertThat(new RateLimiter(0, 0, now::get).acquire("u-a")).isZero();
        RateLimiter limiter = new RateLimiter(600, 1, now::get);
        for (int i = 0; i < RateLimiter.SWEEP_AT; i++) {
            limiter.acquire("u-" + i);
        }
        assertThat(limiter.acquire("u-0")).isEqualTo(1); // still remembered: no call left
        now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // every bucket full again: all idle
        assertThat(limiter.acquire("u-new")).isZero();
        assertThat(limiter.buckets()).isEqualTo(1); // the idle ones were dropped
        assertThatThrownBy(() -> new RateLimiter(10, 0, now::get)).hasMessageContaining("burst >= 1");
    }
}
