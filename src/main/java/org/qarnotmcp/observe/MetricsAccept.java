package org.qarnotmcp.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * {@code GET /observe/metrics} for every {@code Accept} a scraper or a person sends. Camel's own route declares its
 * type with parameters ({@code text/plain; version=0.0.4; charset=utf-8}) and Vert.x then refuses a plain
 * {@code Accept: text/plain} with 406; this route, placed before Camel's, answers Prometheus text for
 * {@code text/plain}, {@code text/*}, {@code *}{@code /*} or no {@code Accept}, OpenMetrics when asked for, and 406
 * naming both otherwise.
 */
public final class MetricsAccept extends ServiceSupport {

    static final String PATH = "/observe/metrics";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final CamelContext context;
    private Route route;

    public MetricsAccept(CamelContext context) {
        this.context = context;
    }

    @Override
    protected void doStart() {
        PrometheusMeterRegistry registry = context.getRegistry().findSingleByType(PrometheusMeterRegistry.class);
        // The management router when it has its own port, else the one router that serves /mcp too.
        List<VertxPlatformHttpRouter> routers = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .sorted(Comparator.comparing(r -> r.getName().contains("management") ? 0 : 1)).toList();
        VertxPlatformHttpRouter management = routers.isEmpty() ? null : routers.get(0);
        if (registry == null || management == null) {
            return; // metrics off
        }
        route = management.route(PATH).method(HttpMethod.GET).order(-1).handler(rc -> answer(rc, registry));
    }

    private static void answer(RoutingContext rc, PrometheusMeterRegistry registry) {
        String type = negotiate(rc.request().getHeader(HttpHeaders.ACCEPT));
        if (type == null) {
            rc.response().setStatusCode(406).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Metrics come as Prometheus text or OpenMetrics: send Accept: text/plain or "
                            + "Accept: application/openmetrics-text (or no Accept).\n");
            return;
        }
        // Scraping reads every meter: off the event loop.
        rc.vertx().executeBlocking(() -> registry.scrape(type), false).onComplete(done -> {
            if (done.failed()) {
                rc.fail(done.cause());
            } else {
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(done.result());
            }
        });
    }

    /** OpenMetrics when the client names it (as Prometheus does, with text/plain as its fallback), else text. */
    static String negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return PROMETHEUS;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        if (a.contains("application/openmetrics-text")) {
            return OPENMETRICS;
        }
        return a.contains("text/plain") || a.contains("text/*") || a.contains("*/*") ? PROMETHEUS : null;
    }

    @Override
    protected void doStop() {
        if (route != null) {
            route.remove();
            route = null;
        }
    }
}
