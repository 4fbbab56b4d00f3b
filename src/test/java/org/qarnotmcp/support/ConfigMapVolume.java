package org.qarnotmcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out and updated as the kubelet does a ConfigMap volume (its AtomicWriter): the files live in a
 * {@code ..<timestamp>} directory, {@code ..data} links to it, and each key is a symlink {@code name -> ..data/name}.
 * An update writes a new timestamped directory, renames a {@code ..data_tmp} link over {@code ..data}, adds the
 * links of new keys, removes those of dropped keys, then deletes the old directory.
 */
public final class ConfigMapVolume {

    private final Path dir;
    private int generation;

    public ConfigMapVolume(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path path() {
        return dir;
    }

    /** Puts the volume's content to exactly these files (name to content), in one swap. */
    public void update(Map<String, String> files) throws IOException {
        Path data = dir.resolve("..data");
        Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
        Path fresh = dir.resolve(String.format("..2026_12_02_00_00_%02d.%09d", generation, ++generation));
        Files.createDirectory(fresh);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(fresh.resolve(file.getKey()), file.getValue());
        }
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, fresh.getFileName());
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : files.keySet()) {
            Path link = dir.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", name));
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !files.containsKey(name)) {
                    Files.delete(entry);
                }
            }
        }
        if (old != null) {
            try (Stream<Path> tree = Files.walk(old)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The repository's shared Qarnot route plus the given tool files. */
    public static Map<String, String> withQarnotRoute(Map<String, String> tools) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("qarnot-api.camel.yaml", Files.readString(Path.of("routes", "qarnot-api.camel.yaml")));
        files.putAll(tools);
        return files;
    }
}
