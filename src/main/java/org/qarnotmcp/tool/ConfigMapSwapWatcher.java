package org.qarnotmcp.tool;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees a Kubernetes ConfigMap (or Secret) volume update. The kubelet writes the new files into a fresh
 * {@code ..<timestamp>} directory and atomically renames a {@code ..data_tmp} symlink over {@code ..data}; the
 * {@code *.camel.yaml} entries are symlinks through {@code ..data} and get no event of their own, so a watcher that
 * filters on their names, like Camel's, never sees the edit. This one watches for {@code ..data} and calls
 * {@code onSwap} once per swap.
 */
final class ConfigMapSwapWatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapSwapWatcher.class);
    static final String DATA_LINK = "..data";

    private final Path dir;
    private final Runnable onSwap;
    private WatchService watcher;
    private Thread thread;

    ConfigMapSwapWatcher(Path dir, Runnable onSwap) {
        this.dir = dir;
        this.onSwap = onSwap;
    }

    void start() throws IOException {
        watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE);
        thread = new Thread(this, "configmap-swap-watcher");
        thread.setDaemon(true);
        thread.start();
        if (Files.isSymbolicLink(dir.resolve(DATA_LINK))) {
            LOG.info("{} is a ConfigMap volume: its updates (the {} swap) reload the changed tools", dir, DATA_LINK);
        }
    }

    void stop() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                if (key == null) {
                    continue;
                }
                boolean swapped = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // the rename creates ..data anew; after an overflow, look anyway
                    swapped |= event.kind() == OVERFLOW || DATA_LINK.equals(String.valueOf(event.context()));
                }
                if (swapped) {
                    try {
                        onSwap.run();
                    } catch (RuntimeException e) {
                        LOG.error("Reloading the tools after the {} swap in {} failed: {}", DATA_LINK, dir, e.getMessage());
                    }
                }
                if (!key.reset()) {
                    LOG.warn("{} is no longer watched (removed?): ConfigMap updates will not reload", dir);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // stopped
        }
    }
}
