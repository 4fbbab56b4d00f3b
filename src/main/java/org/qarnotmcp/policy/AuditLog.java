package org.qarnotmcp.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.qarnotmcp.CallerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per call of a tool that changes something, on its own logger {@code qarnotmcp.audit} (README "Audit
 * log"): when, who (pseudonymous user id, client), which tool, the ids it acted on and the ids it made, how it ended
 * and Qarnot's HTTP status. Only identifying arguments are written (uuids, names, buckets, file keys and paths),
 * never a file's content or any other value, and never a key: the user id is the key's one-way pseudonym.
 */
public final class AuditLog {

    public static final String LOGGER = "qarnotmcp.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Argument names that identify what a call acts on; everything else (content, commands, constants) stays out. */
    private static final Pattern ID_NAME = Pattern.compile(
            ".*(uuid|uuids|bucket|buckets)|name|shortname|key|keys|prefix|path|paths|dependson");
    private static final int MAX_VALUE_CHARS = 256;
    private static final int MAX_LIST = 20;

    private final ObjectMapper mapper;

    public AuditLog(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One finished call. {@code answered} is what the caller was told when it differs from the outcome (timeout). */
    public record Entry(Instant time, String userId, String client, String tool, Map<String, Object> arguments,
            Object result, String outcome, String answered, Integer qarnotStatus, long durationMs) {
    }

    public void write(Entry entry) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("log", "audit");
        line.put("time", entry.time().toString());
        line.put("user", entry.userId());
        line.put("client", entry.client() == null ? null : CallerText.oneLine(entry.client(), 120));
        line.put("tool", entry.tool());
        line.put("ids", ids(entry.arguments()));
        Map<String, Object> made = entry.result() instanceof Map<?, ?> result ? ids(result) : Map.of();
        if (!made.isEmpty()) {
            line.put("resultIds", made);
        }
        line.put("outcome", entry.outcome());
        if (entry.answered() != null) {
            line.put("answered", entry.answered());
        }
        line.put("qarnotStatus", entry.qarnotStatus());
        line.put("durationMs", entry.durationMs());
        try {
            LOG.info(mapper.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            LOG.warn("{\"log\":\"audit\",\"tool\":\"{}\",\"error\":\"audit line not written\"}", entry.tool());
        }
    }

    /** The identifying values among the top-level entries, cut to size. */
    static Map<String, Object> ids(Map<?, ?> values) {
        Map<String, Object> ids = new LinkedHashMap<>();
        if (values == null) {
            return ids;
        }
        values.forEach((name, value) -> {
            if (name instanceof String n && ID_NAME.matcher(n.toLowerCase(Locale.ROOT)).matches()) {
                Object id = idValue(value);
                if (id != null) {
                    ids.put(n, id);
                }
            }
        });
        return ids;
    }

    private static Object idValue(Object value) {
        if (value instanceof CharSequence || value instanceof Number) {
            return CallerText.oneLine(value.toString(), MAX_VALUE_CHARS);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object v : list) {
                if (out.size() == MAX_LIST) {
                    out.add("... " + (list.size() - MAX_LIST) + " more");
                    break;
                }
                if (v instanceof CharSequence || v instanceof Number) {
                    out.add(CallerText.oneLine(v.toString(), MAX_VALUE_CHARS));
                }
            }
            return out;
        }
        return null;
    }
}
