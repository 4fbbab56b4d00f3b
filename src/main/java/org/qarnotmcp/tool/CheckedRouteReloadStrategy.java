package org.qarnotmcp.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads route files without restart. A changed or added file is loaded only if it passes {@link ToolFileCheck};
 * a broken edit is logged and the last good version of the tool keeps serving. A deleted file's routes, and so
 * its tools, are removed (Camel's own strategy leaves them running).
 */
public class CheckedRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(CheckedRouteReloadStrategy.class);

    private final Runnable afterReload;

    /** {@code afterReload} runs once the changed files are applied (it logs the effective tool list). */
    public CheckedRouteReloadStrategy(String directory, Runnable afterReload) {
        super(directory, false);
        this.afterReload = afterReload;
        setPattern("*.camel.yaml");
        setRemoveAllRoutes(false);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        List<Resource> accepted = new ArrayList<>();
        for (Resource resource : resources) {
            if (!resource.exists()) {
                removeRoutesOf(resource.getLocation());
                continue;
            }
            List<String> problems = ToolFileCheck.problems(getCamelContext(), resource);
            if (problems.isEmpty()) {
                accepted.add(resource);
            } else if (problems.size() == 1 && problems.get(0).startsWith("is empty")) {
                LOG.debug("{} is empty, probably still being written; waiting for its content", resource.getLocation());
            } else {
                LOG.error("Not reloading {}; the last good version keeps serving. Fix: {}", resource.getLocation(),
                        String.join("; ", problems));
            }
        }
        if (!accepted.isEmpty()) {
            super.onRouteReload(accepted, removeEverything);
        }
        afterReload.run();
    }

    private void removeRoutesOf(String location) {
        for (Route route : List.copyOf(getCamelContext().getRoutes())) {
            String source = route.getSourceLocation();
            if (source != null && (source.equals(location) || source.startsWith(location + ":"))) {
                try {
                    getCamelContext().getRouteController().stopRoute(route.getRouteId());
                    getCamelContext().removeRoute(route.getRouteId());
                    LOG.info("Removed route {}: {} was deleted", route.getRouteId(), location);
                } catch (Exception e) {
                    LOG.error("Could not remove route {} of deleted {}: {}", route.getRouteId(), location, e.getMessage());
                }
            }
        }
    }
}
