package org.qarnotmcp;

import org.apache.camel.main.Main;
import org.qarnotmcp.tool.Warmup;

/**
 * Starts the server: Camel Main boots the context, loads the tool routes from {@code routes/} and the
 * {@link ServerConfiguration} mounts the MCP endpoint on the Vert.x HTTP server. The configuration is named rather
 * than found by a package scan, which took a fifth of a second of every start.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Warmup.startEarly(); // on the other core while Camel starts (see Warmup)
        int exitCode;
        try {
            Main main = new Main();
            main.configure().addConfiguration(ServerConfiguration.class);
            Termination.onSigterm(main::completed);
            exitCode = main.run(args);
        } catch (Exception e) {
            // A broken tool file must stop the start with its name and the problem, not a page of stack trace.
            System.err.println("qarnot-mcp cannot start: " + StartupFailure.describe(e));
            exitCode = 1;
        }
        if (exitCode == 0 && Termination.requested()) {
            // Stopped by SIGTERM: 0 after a clean drain, so that docker stop and orchestrators see a normal stop.
            System.exit(ShutdownDrain.gaveUp() ? Termination.DRAIN_GAVE_UP : 0);
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
