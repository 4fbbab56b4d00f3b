package org.qarnotmcp.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.tool.Admission.Verdict.ADMITTED;
import static org.qarnotmcp.tool.Admission.Verdict.CALLER_FULL;
import static org.qarnotmcp.tool.Admission.Verdict.REPLICA_FULL;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void oneCallerStopsAtTheirShareWhileOthersAreLetIn() {
        Admission admission = new Admission(10, 2);
        assertThat(admission.enter("u-a")).isEqualTo(ADMITTED);
        assertThat(admission.enter("u-a")).isEqualTo(ADMITTED);
        assertThat(admission.enter("u-a")).isEqualTo(CALLER_FULL);
        assertThat(admission.enter("u-b")).isEqualTo(ADMITTED);
        assertThat(admission.running()).isEqualTo(3);
        admission.leave("u-a");
        assertThat(admission.enter("u-a")).isEqualTo(ADMITTED);
    }

    @Test
    void theReplicaStopsAtItsLimitWhateverTheCaller() {
        Admission admission = new Admission(3, 3);
        assertThat(admission.enter("u-a")).isEqualTo(ADMITTED);
        assertThat(admission.enter("u-b")).isEqualTo(ADMITTED);
        assertThat(admission.enter("u-c")).isEqualTo(ADMITTED);
        assertThat(admission.enter("u-d")).isEqualTo(REPLICA_FULL);
        assertThat(admission.running()).isEqualTo(3);
        admission.leave("u-b");
        assertThat(admission.enter("u-d")).isEqualTo(ADMITTED);
    }

    @Test
    void aRefusedCallTakesNoPlaceAndCallersAreForgottenWhenIdle() {
        Admission admission = new Admission(2, 1);
        admission.enter("u-a");
        assertThat(admission.enter("u-a")).isEqualTo(CALLER_FULL);
        admission.enter("u-b");
        assertThat(admission.enter("u-c")).isEqualTo(REPLICA_FULL);
        assertThat(admission.running()).isEqualTo(2);
        admission.leave("u-a");
        admission.leave("u-b");
        assertThat(admission.running()).isZero();
        assertThat(admission.callers()).isZero();
    }

    @Test
    void countsStayExactUnderContention() throws Exception {
        Admission admission = new Admission(100_000, 100_000);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String caller = "u-" + (t % 3);
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (admission.enter(caller) == ADMITTED) {
                        admission.leave(caller);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admission.running()).isZero();
        assertThat(admission.callers()).isZero();
    }
}
