package org.qarnotmcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, filtered in at build time; used in serverInfo and the upstream User-Agent. */
public final class Versions {

    public static final String SERVER_NAME = "Qarnot-Manager";
    public static final String PROJECT = load();
    public static final String USER_AGENT = "qarnot-mcp/" + PROJECT;

    private Versions() {
    }

    private static String load() {
        try (InputStream in = Versions.class.getResourceAsStream("/qarnot-mcp-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
