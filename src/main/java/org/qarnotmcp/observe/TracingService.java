package org.qarnotmcp.observe;

import org.apache.camel.support.service.ServiceSupport;

/** Closes the tracing SDK with the Camel context, after the drain, so that the last calls' spans are exported. */
public final class TracingService extends ServiceSupport {

    private final Tracing tracing;

    public TracingService(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    protected void doStop() {
        tracing.close();
    }
}
