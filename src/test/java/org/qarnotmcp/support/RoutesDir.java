package org.qarnotmcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A temporary routes directory holding the shared routes (Qarnot, spending limits) plus whatever tool files a test
 * writes.
 */
public final class RoutesDir {

    private final Path dir;

    public RoutesDir(Path dir) throws IOException {
        this.dir = dir;
        for (String shared : new String[] {"qarnot-api.camel.yaml", "spending-limits.camel.yaml"}) {
            Files.copy(Path.of("routes", shared), dir.resolve(shared), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path path() {
        return dir;
    }

    /** Writes atomically (temp file + move), as editors and deploy tools do. */
    public void write(String file, String yaml) throws IOException {
        Path tmp = Files.createTempFile(dir.getParent(), "route", ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void delete(String file) throws IOException {
        Files.delete(dir.resolve(file));
    }

    /** A minimal tool route that answers with a fixed text. */
    public static String echoTool(String name, String description, String reply) {
        return """
                - route:
                    id: %1$s
                    from:
                      uri: mcp-tool:%1$s
                      parameters:
                        description: %2$s
                        readOnlyHint: true
                        argSchema: |
                          type: object
                          properties:
                            word: {type: string, pattern: "^[a-z]+$"}
                      steps:
                        - setBody:
                            constant: "%3$s"
                """.formatted(name, description, reply);
    }
}
