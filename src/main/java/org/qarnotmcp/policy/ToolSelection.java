package org.qarnotmcp.policy;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.qarnotmcp.Settings;

/**
 * Which tools this server offers: {@code MCP_READ_ONLY=true} keeps only tools whose own annotations say
 * {@code readOnlyHint: true} (so a new tool is covered without a list), {@code MCP_TOOLS} keeps only the names or
 * globs it lists, {@code MCP_TOOLS_EXCLUDE} drops the ones it lists. A tool held back is not listed and a call to it
 * gets the unknown-tool answer, with the reason.
 */
public final class ToolSelection {

    /** Tool names are [A-Za-z0-9_.-]; a pattern may add * (any run) and ? (one character). */
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.*?-]{1,128}");

    private final boolean readOnly;
    private final List<String> include;
    private final List<String> exclude;
    private final List<Pattern> includePatterns;
    private final List<Pattern> excludePatterns;

    public ToolSelection(boolean readOnly, List<String> include, List<String> exclude) {
        this.readOnly = readOnly;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.includePatterns = compile(include, "MCP_TOOLS");
        this.excludePatterns = compile(exclude, "MCP_TOOLS_EXCLUDE");
    }

    public static ToolSelection from(CamelContext context) {
        String readOnly = Settings.get(context, "mcp.read-only", "false");
        if (!readOnly.equalsIgnoreCase("true") && !readOnly.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("MCP_READ_ONLY must be true or false, not '" + readOnly + "'.");
        }
        return new ToolSelection(Boolean.parseBoolean(readOnly), Settings.list(Settings.get(context, "mcp.tools", "")),
                Settings.list(Settings.get(context, "mcp.tools-exclude", "")));
    }

    /** Why the tool is held back, in words for the caller; null when it is offered. */
    public String heldBackBecause(McpSchema.Tool tool) {
        if (readOnly && !isReadOnly(tool)) {
            return "this server runs in read-only mode (MCP_READ_ONLY=true) and offers only tools that change nothing";
        }
        if (!includePatterns.isEmpty() && includePatterns.stream().noneMatch(p -> p.matcher(tool.name()).matches())) {
            return "this server offers only the tools MCP_TOOLS selects (" + String.join(",", include) + ")";
        }
        if (excludePatterns.stream().anyMatch(p -> p.matcher(tool.name()).matches())) {
            return "this server's MCP_TOOLS_EXCLUDE (" + String.join(",", exclude) + ") leaves it out";
        }
        return null;
    }

    /** A tool that says it changes nothing; a tool without the annotation is taken to change something. */
    public static boolean isReadOnly(McpSchema.Tool tool) {
        return tool.annotations() != null && Boolean.TRUE.equals(tool.annotations().readOnlyHint());
    }

    /** The one log line of the effective selection, with the patterns that match no tool (likely typos). */
    public String describe(Collection<String> offered, Collection<String> heldBack) {
        StringBuilder line = new StringBuilder("Tools offered (" + offered.size() + " of "
                + (offered.size() + heldBack.size()) + "; MCP_READ_ONLY=" + readOnly
                + (include.isEmpty() ? "" : ", MCP_TOOLS=" + String.join(",", include))
                + (exclude.isEmpty() ? "" : ", MCP_TOOLS_EXCLUDE=" + String.join(",", exclude)) + "): "
                + (offered.isEmpty() ? "none" : String.join(", ", offered)));
        if (!heldBack.isEmpty()) {
            line.append("; held back: ").append(String.join(", ", heldBack));
        }
        List<String> unmatched = unmatched(include, includePatterns, offered, heldBack);
        unmatched.addAll(unmatched(exclude, excludePatterns, offered, heldBack));
        if (!unmatched.isEmpty()) {
            line.append("; patterns matching no tool: ").append(String.join(", ", unmatched));
        }
        return line.toString();
    }

    private static List<String> unmatched(List<String> globs, List<Pattern> patterns, Collection<String> offered,
            Collection<String> heldBack) {
        List<String> none = new java.util.ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            Pattern p = patterns.get(i);
            if (offered.stream().noneMatch(n -> p.matcher(n).matches()) && heldBack.stream().noneMatch(n -> p.matcher(n).matches())) {
                none.add(globs.get(i));
            }
        }
        return none;
    }

    private static List<Pattern> compile(List<String> globs, String setting) {
        return globs.stream().map(glob -> {
            if (!GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException(setting + " has '" + glob + "', which is not a tool name or glob: use "
                        + "names like get_task, or * and ? as in get_*, separated by commas.");
            }
            return Pattern.compile(glob.chars().mapToObj(c -> c == '*' ? ".*" : c == '?' ? "."
                    : Pattern.quote(String.valueOf((char) c))).collect(Collectors.joining()));
        }).toList();
    }
}
