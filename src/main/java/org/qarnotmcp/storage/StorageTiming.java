package org.qarnotmcp.storage;

import java.util.Optional;
import org.qarnotmcp.observe.ToolMetrics;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Times each attempt of a storage request inside the S3 client, to the response head, as
 * {@code qarnot_storage_requests_seconds{operation,status}}: the sibling of {@code qarnot_requests_seconds}. Only
 * the S3 operation name and the status class are recorded: never a bucket, a key, a header or a body.
 */
final class StorageTiming implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("qarnot-mcp.storage.started");

    private final ToolMetrics metrics;

    StorageTiming(ToolMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        record(attributes, context.httpResponse().statusCode());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // No answer at all (connection refused, timeout): afterTransmission never ran for this attempt.
        if (context.httpResponse().isEmpty() && attributes.getAttribute(STARTED) != null) {
            record(attributes, 0);
        }
    }

    private void record(ExecutionAttributes attributes, int status) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null || metrics == null) {
            return;
        }
        attributes.putAttribute(STARTED, null);
        String operation = Optional.ofNullable(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                .orElse("unknown");
        metrics.storageRequest(operation, status, System.nanoTime() - started);
    }
}
