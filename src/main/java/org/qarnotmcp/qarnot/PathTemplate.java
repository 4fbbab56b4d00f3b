package org.qarnotmcp.qarnot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.qarnotmcp.CallerText;
import org.qarnotmcp.ToolException;

/**
 * Expands a Qarnot request template such as {@code /tasks/{uuid}/stdout/{instanceId?}?tag={tags}} with values
 * taken from the exchange variables (the tool arguments).
 *
 * <p>Why not string concatenation in the route: a value like {@code ../pools}, {@code a/b}, {@code x?y}, {@code #}
 * or {@code %2F} would change the path Qarnot sees. Here a path value must be one plain segment (letters, digits,
 * {@code - _ . ~}, not {@code .} or {@code ..}) or the call is refused; query values are percent-encoded.
 * {@code {name?}} marks an optional trailing path segment; a query parameter whose value is absent is left out,
 * and a list value repeats the parameter.
 */
public final class PathTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)(\\??)}");
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_~.-]{1,200}");
    private static final Pattern LITERAL_PATH = Pattern.compile("(/[A-Za-z0-9_~.{}?-]+)+|/");

    private PathTemplate() {
    }

    public static String expand(String template, Function<String, Object> values) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("The Qarnot path template must start with '/': " + template);
        }
        int q = indexOfQuery(template);
        String pathPart = q < 0 ? template : template.substring(0, q);
        String queryPart = q < 0 ? null : template.substring(q + 1);
        if (!LITERAL_PATH.matcher(pathPart).matches()) {
            throw new IllegalArgumentException("Invalid Qarnot path template: " + template);
        }
        StringBuilder url = new StringBuilder(expandPath(pathPart, values));
        if (queryPart != null) {
            String query = expandQuery(queryPart, values);
            if (!query.isEmpty()) {
                url.append('?').append(query);
            }
        }
        return url.toString();
    }

    /** The query starts at the first '?' that is not the optional marker of a placeholder ({@code {name?}}). */
    private static int indexOfQuery(String template) {
        for (int i = 0; i < template.length(); i++) {
            if (template.charAt(i) == '?' && (i + 1 == template.length() || template.charAt(i + 1) != '}')) {
                return i;
            }
        }
        return -1;
    }

    private static String expandPath(String path, Function<String, Object> values) {
        StringBuilder out = new StringBuilder();
        boolean optionalSeen = false;
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(segment);
            if (m.matches()) {
                String name = m.group(1);
                boolean optional = !m.group(2).isEmpty();
                Object value = values.apply(name);
                if (value == null) {
                    if (optional) {
                        optionalSeen = true;
                        continue;
                    }
                    throw new ToolException("The argument '" + name + "' is required to build the Qarnot request.");
                }
                if (optionalSeen) {
                    throw new IllegalArgumentException("Only trailing path segments may be optional: " + path);
                }
                out.append('/').append(segment(name, value));
            } else {
                if (segment.equals(".") || segment.equals("..") || segment.contains("{") || segment.contains("}")
                        || segment.contains("?")) {
                    throw new IllegalArgumentException("Invalid segment '" + segment + "' in Qarnot path template " + path
                            + ": use a literal name or one whole {placeholder}");
                }
                out.append('/').append(segment);
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static String segment(String name, Object value) {
        String text = String.valueOf(value);
        if (!SAFE_SEGMENT.matcher(text).matches() || text.equals(".") || text.equals("..")) {
            throw new ToolException("The argument '" + name + "' cannot be used in a Qarnot URL: send a uuid, shortname or "
                    + "number made only of letters, digits, '-', '_', '.' or '~' (got '" + CallerText.oneLine(text, 60) + "').");
        }
        return text;
    }

    private static String expandQuery(String query, Function<String, Object> values) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String raw = eq < 0 ? "" : pair.substring(eq + 1);
            Matcher m = PLACEHOLDER.matcher(raw);
            if (!m.matches()) {
                appendParam(out, key, raw);
                continue;
            }
            Object value = values.apply(m.group(1));
            if (value instanceof Collection<?> many) {
                for (Object each : many) {
                    appendParam(out, key, String.valueOf(each));
                }
            } else if (value != null) {
                appendParam(out, key, String.valueOf(value));
            }
        }
        return out.toString();
    }

    private static void appendParam(StringBuilder out, String key, String value) {
        if (out.length() > 0) {
            out.append('&');
        }
        out.append(encode(key)).append('=').append(encode(value));
    }

    /**
     * camel-http re-encodes the URL it is given with RFC 1738's unsafe characters, '~' among them, so Qarnot would see
     * {@code %7E} where the path says {@code ~}. Expanded URLs never hold a literal {@code %7E} ('%' is refused in
     * path values and written {@code %25} in queries), so every {@code %7E} in the request line was a '~'.
     */
    public static void keepTilde(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            String path = request.getPath();
            if (path != null && path.contains("%7E")) {
                request.setPath(path.replace("%7E", "~"));
            }
        });
    }

    /** RFC 3986: '~' is unreserved, so it stays as it is (URLEncoder follows HTML forms and writes %7E). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
    }
}
