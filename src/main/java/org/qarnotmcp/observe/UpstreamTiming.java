package org.qarnotmcp.observe;

import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Times each attempt of a request to Qarnot inside Apache HttpClient, just after the retry step, so that a retried
 * 503 shows as one 5xx attempt and one more attempt. The time runs to the response head (the body is read by the
 * route afterwards). Only the method and the status class are recorded: never a header, a path or a body.
 */
public final class UpstreamTiming implements ExecChainHandler {

    private final ToolMetrics metrics;

    private UpstreamTiming(ToolMetrics metrics) {
        this.metrics = metrics;
    }

    /** Adds the timing to an HttpClient being built (camel-http's HttpClientConfigurer). */
    public static void instrument(HttpClientBuilder builder, ToolMetrics metrics) {
        builder.addExecInterceptorAfter(ChainElement.RETRY.name(), "qarnot-mcp-metrics", new UpstreamTiming(metrics));
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        long start = System.nanoTime();
        int status = 0;
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            status = response.getCode();
            return response;
        } finally {
            metrics.upstreamRequest(request.getMethod(), status, System.nanoTime() - start);
        }
    }
}
