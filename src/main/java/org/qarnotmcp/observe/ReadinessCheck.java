package org.qarnotmcp.observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.qarnotmcp.Readiness;

/**
 * {@code /observe/health/ready}: DOWN until every tool is listed and again while draining, so that a Kubernetes
 * readiness probe (or any load balancer's health check) sends traffic only to a replica with its whole tool list.
 * Not a liveness check: a starting or draining replica is alive and must not be restarted for it.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    private final Readiness readiness;

    public ReadinessCheck(Readiness readiness) {
        super("qarnot-mcp", "tools");
        this.readiness = readiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("state", readiness.state().name().toLowerCase(java.util.Locale.ROOT));
        if (readiness.isReady()) {
            builder.up();
        } else {
            builder.message(readiness.state().reason()).down();
        }
    }
}
