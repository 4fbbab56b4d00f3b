package org.qarnotmcp.tool;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.EventHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.FileUtil;
import org.qarnotmcp.CallerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads route files without restart. A changed or added file is loaded only if it passes {@link ToolFileCheck};
 * a broken edit is logged and the last good version of the tool keeps serving. A deleted file's routes, and so
 * its tools, are removed (Camel's own strategy leaves them running). A Kubernetes ConfigMap update (the
 * {@code ..data} symlink swap, see {@link ConfigMapSwapWatcher}) reloads the files whose content changed.
 */
public class CheckedRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(CheckedRouteReloadStrategy.class);
    private static final String PATTERN = ".camel.yaml";

    /** The content of each route file as last loaded, so that a ConfigMap swap reloads only what changed. */
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();
    private ConfigMapSwapWatcher swapWatcher;

    private final Runnable afterReload;

    /** {@code afterReload} runs once the changed files are applied (it logs the effective tool list). */
    public CheckedRouteReloadStrategy(String directory, Runnable afterReload) {
        super(directory, false);
        this.afterReload = afterReload;
        setPattern("*" + PATTERN);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Path dir = Path.of(getFolder());
        if (Files.isDirectory(dir)) {
            routeFiles().forEach(resource -> loaded.put(resource.getLocation(), content(resource)));
            swapWatcher = new ConfigMapSwapWatcher(dir, this::reloadChangedFiles);
            swapWatcher.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (swapWatcher != null) {
            swapWatcher.stop();
        }
        super.doStop();
    }

    /** After a ConfigMap swap: the route files whose content differs from what was loaded, and those now gone. */
    synchronized void reloadChangedFiles() {
        List<Resource> changed = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Resource resource : routeFiles()) {
            present.add(resource.getLocation());
            if (!Arrays.equals(loaded.get(resource.getLocation()), content(resource))) {
                changed.add(resource);
            }
        }
        for (String location : List.copyOf(loaded.keySet())) {
            if (!present.contains(location)) {
                changed.add(PluginHelper.getResourceLoader(getCamelContext()).resolveResource(location));
            }
        }
        if (!changed.isEmpty()) {
            LOG.info("ConfigMap update: reloading {}", changed.stream().map(Resource::getLocation).toList());
            onRouteReload(changed, false);
        }
    }

    @Override
    protected synchronized void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        List<Resource> accepted = new ArrayList<>();
        for (Resource resource : resources) {
            if (!resource.exists()) {
                removeRoutesOf(resource.getLocation());
                loaded.remove(resource.getLocation());
                continue;
            }
            if (Arrays.equals(loaded.get(resource.getLocation()), content(resource))) {
                // Already loaded as it is (a ConfigMap's new key is seen both by the swap and by its own link's
                // event): reloading would unlist its tools for a moment for nothing.
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
        for (Resource resource : accepted) {
            if (update(resource)) {
                loaded.put(resource.getLocation(), content(resource));
            }
        }
        afterReload.run();
    }

    /** The route files in the directory, named as Camel's watcher names them ({@code file:<dir>/<name>}). */
    private List<Resource> routeFiles() {
        try (Stream<Path> files = Files.list(Path.of(getFolder()))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(PATTERN) && !name.startsWith(".."))
                    .sorted()
                    .map(name -> PluginHelper.getResourceLoader(getCamelContext())
                            .resolveResource("file:" + FileUtil.compactPath(new File(getFolder(), name).getPath())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] content(Resource resource) {
        try (var in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null; // gone between the listing and the read: the next swap or event sees it
        }
    }

    /**
     * One file at a time, with Camel's routes loader. Not through {@code super.onRouteReload}: after a failed update
     * Camel retries the failed set on every later reload, a deleted file included, so that one bad file made every
     * later reload fail with FileNotFoundException until restart.
     */
    private boolean update(Resource resource) {
        try {
            Set<String> ids = PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(List.of(resource));
            LOG.info("Reloaded {}: route(s) {}", resource.getLocation(), String.join(", ", ids));
            int index = 1;
            for (String id : ids) {
                Route route = getCamelContext().getRoute(id);
                if (route != null) {
                    EventHelper.notifyRouteReloaded(getCamelContext(), route, index++, ids.size());
                }
            }
            return true;
        } catch (Exception e) {
            LOG.error("Could not reload {}: {}", resource.getLocation(), rootMessage(e));
            return false;
        }
    }

    /** The innermost message, on one line: the tool file's problem, not Camel's wrapping of it. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return CallerText.oneLine(message.strip().replaceAll("\\s*\\R\\s*", " "), 400);
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
