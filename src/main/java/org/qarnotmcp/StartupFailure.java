package org.qarnotmcp;

import java.util.LinkedHashSet;
import java.util.Set;

/** Condenses a start-up exception chain into the messages that name the file and the problem. */
public final class StartupFailure {

    private StartupFailure() {
    }

    public static String describe(Throwable error) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = error; t != null && parts.size() < 6; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                String line = message.lines().findFirst().orElse("").strip();
                if (parts.stream().noneMatch(p -> p.contains(line))) {
                    parts.add(line);
                }
            }
        }
        return String.join(" <- ", parts);
    }
}
