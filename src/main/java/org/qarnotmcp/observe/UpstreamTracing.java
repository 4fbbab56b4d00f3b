package org.qarnotmcp.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * A client span per attempt of a Qarnot request, child of the tool call's span, and the {@code traceparent} header
 * that carries it to Qarnot. It runs inside Apache HttpClient after the route has stripped every header, so the
 * trace header is the only one it adds. Recorded: method, status code and host; never the path (it holds
 * arguments), a header or a body.
 */
final class UpstreamTracing implements ExecChainHandler {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> HOST = AttributeKey.stringKey("server.address");

    private final Tracer tracer;

    UpstreamTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Span span = tracer.spanBuilder("qarnot " + request.getMethod()).setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, request.getMethod())
                .setAttribute(HOST, scope.route.getTargetHost().getHostName())
                .startSpan();
        try (Scope current = span.makeCurrent()) {
            W3CTraceContextPropagator.getInstance().inject(Context.current(), request, (r, key, value) -> r.setHeader(key, value));
            ClassicHttpResponse response = chain.proceed(request, scope);
            span.setAttribute(STATUS, (long) response.getCode());
            if (response.getCode() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()); // the class only: messages may hold URLs
            throw e;
        } finally {
            span.end();
        }
    }
}
