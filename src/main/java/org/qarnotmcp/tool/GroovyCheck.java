package org.qarnotmcp.tool;

import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Compiles every Groovy script of a route file (as far as semantic analysis: no class is generated or loaded), so
 * that a syntax error is refused when the file is loaded, like bad YAML, instead of failing the first call.
 */
final class GroovyCheck {

    private GroovyCheck() {
    }

    /** Adds one line per script that does not compile: where (the route, the YAML path of the script) and why. */
    static void check(Object node, String path, String where, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = path.isEmpty() ? key : path + "." + key;
                Object value = entry.getValue();
                if (key.equals("groovy")) {
                    Object script = value instanceof Map<?, ?> expression ? expression.get("expression") : value;
                    if (script instanceof String text) {
                        String problem = compileProblem(text);
                        if (problem != null) {
                            problems.add(where + ": the groovy script at " + at + " does not compile: " + problem);
                        }
                    }
                } else {
                    check(value, at, where, problems);
                }
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), path + "[" + i + "]", where, problems);
            }
        }
    }

    /** Null if the script compiles, else its first error as one line (line, column and message). */
    static String compileProblem(String script) {
        CompilationUnit unit = new CompilationUnit();
        unit.addSource("script.groovy", script);
        try {
            unit.compile(Phases.SEMANTIC_ANALYSIS);
            return null;
        } catch (CompilationFailedException e) {
            Message first = unit.getErrorCollector().getErrorCount() > 0 ? unit.getErrorCollector().getError(0) : null;
            if (first instanceof SyntaxErrorMessage syntax) {
                SyntaxException cause = syntax.getCause();
                return "line " + cause.getLine() + ", column " + cause.getStartColumn() + ": "
                        + cause.getOriginalMessage().lines().findFirst().orElse("syntax error");
            }
            return e.getMessage().lines().filter(l -> !l.isBlank() && !l.startsWith("startup failed")).findFirst()
                    .orElse("syntax error");
        }
    }
}
