package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.RenderConversation;
import org.qarnotmcp.support.S3Storage;
import org.qarnotmcp.support.ServerWithQarnot;

/**
 * The whole files-in, results-out workflow through the MCP SDK client: upload, submit with buckets, several
 * wait_for_task calls (the per-call wait bound set to 2 s here so that a 5 s task takes several), results, the
 * frame as image content, a download link. TunnelConversationIT runs the same behind nginx with the real bounds.
 */
class RenderConversationTest {

    static final S3Storage s3 = S3Storage.sharedUnchecked();

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot(S3Storage.KEY)
            .with("qarnot.storage.url", s3.url())
            .with("mcp.wait-max-seconds", "2");

    @Test
    void renderThisSceneAndShowMeTheResult() throws Exception {
        s3.clear();
        env.qarnot().stubFor(get("/info").willReturn(okJson("{\"email\":\"" + S3Storage.EMAIL + "\"}")));
        RenderConversation.Seen seen = RenderConversation.run(env.client(), env.qarnot(), s3, Duration.ofSeconds(5));
        assertThat(seen.calls()).startsWith("create_bucket", "upload_file", "submit_job", "wait_for_task", "wait_for_task")
                .endsWith("list_task_results", "read_file", "get_download_link");
        // Each call stopped waiting at the server's per-call bound (2 s here; the last check of the task, made at the
        // bound, may add its own time), however long timeoutSeconds asked for (240 s).
        assertThat(seen.waitedSeconds()).as("seconds each wait_for_task call waited").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(3));
        assertThat(seen.frame()).isEqualTo(seen.downloaded());
    }
}
