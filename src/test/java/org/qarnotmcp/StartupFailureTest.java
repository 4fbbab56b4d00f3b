package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** A broken tool file stops the start, and the reason names the file and the problem. */
class StartupFailureTest {

    String startupError(Path tmp, String file, String yaml) throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        routes.write(file, yaml);
        Throwable error = catchThrowable(() -> RunningServer.start(Map.of("mcp.routes-dir", routes.path().toString())).close());
        assertThat(error).as("the server must refuse to start").isNotNull();
        return StartupFailure.describe(error);
    }

    @Test
    void anInvalidSchemaIsNamedWithItsFile(@TempDir Path tmp) throws Exception {
        String reason = startupError(tmp, "bad_schema.camel.yaml",
                RoutesDir.echoTool("bad_schema", "Broken", "x").replace("type: string", "type: strin"));
        assertThat(reason).contains("bad_schema.camel.yaml", "argSchema", "JSON Schema");
    }

    @Test
    void invalidYamlIsNamedWithItsFile(@TempDir Path tmp) throws Exception {
        String reason = startupError(tmp, "not_yaml.camel.yaml", "- route:\n    id: x\n    from: [unclosed\n");
        assertThat(reason).contains("not_yaml.camel.yaml");
    }

    @Test
    void aSchemaThatIsNotAnObjectSchemaIsRefused(@TempDir Path tmp) throws Exception {
        String reason = startupError(tmp, "array_args.camel.yaml",
                RoutesDir.echoTool("array_args", "Array", "x").replace("type: object", "type: array"));
        assertThat(reason).contains("array_args", "type: object");
    }

    @Test
    void aMisspelledOptionIsNamed(@TempDir Path tmp) throws Exception {
        String reason = startupError(tmp, "typo.camel.yaml",
                RoutesDir.echoTool("typo", "Typo", "x").replace("readOnlyHint", "readOnlyHnt"));
        assertThat(reason).contains("readOnlyHnt");
    }

    @Test
    void anUnknownSchemaKeywordIsNamedWithItsPath(@TempDir Path tmp) throws Exception {
        String reason = startupError(tmp, "comma.camel.yaml", RoutesDir.echoTool("comma", "Comma", "x")
                .replace("word: {type: string, pattern: \"^[a-z]+$\"}", "word: {type: string, description: One word, lower case}"));
        assertThat(reason).contains("comma.camel.yaml", "unknown keyword 'lower case' at /properties/word", "quote the text");
    }

    @Test
    void twoToolsWithTheSameNameAreRefused(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        routes.write("one.camel.yaml", RoutesDir.echoTool("same", "One", "1"));
        routes.write("two.camel.yaml", RoutesDir.echoTool("same", "Two", "2").replace("id: same", "id: same2"));
        Throwable error = catchThrowable(() -> RunningServer.start(Map.of("mcp.routes-dir", tmp.toString())).close());
        assertThat(StartupFailure.describe(error)).contains("'same'", "already defined");
    }
}
