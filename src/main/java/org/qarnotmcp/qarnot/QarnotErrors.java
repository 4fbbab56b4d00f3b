package org.qarnotmcp.qarnot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Qarnot error answer into a message a model can act on. Qarnot's error bodies come in several shapes
 * ({@code {message}}, {@code {error:{message}}}, {@code {error:"..."}}, ASP.NET ProblemDetails, plain text); the
 * detail is taken in the order the official SDKs use.
 */
public final class QarnotErrors {

    private static final int MAX_DETAIL = 300;
    private final ObjectMapper mapper;

    public QarnotErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String describe(int status, String body, Long retryAfterSeconds, String notFoundHint) {
        String detail = detail(body);
        String said = detail.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + detail;
        return switch (status) {
            case 400 -> "Qarnot refused the request as invalid (" + said + "). Check the arguments against the tool's input schema.";
            case 401 -> "Qarnot rejected the API key (" + said + "). Send your current Qarnot API key as "
                    + "'Authorization: Bearer <key>' (Tasq, https://tasq.qarnot.com, Settings > Access token).";
            case 402 -> detail.toLowerCase(Locale.ROOT).contains("hardware")
                    ? "Qarnot cannot satisfy the requested hardware constraints (" + said + "). Relax or remove them."
                    : "The Qarnot account does not have enough credits for this (" + said + "). Add credits in Tasq, "
                            + "or ask for fewer instances.";
            case 403 -> isQuota(detail)
                    ? "A Qarnot quota is reached (" + said + "). Delete finished tasks, wait for running ones, or ask "
                            + "Qarnot for a higher quota."
                    : "Qarnot forbids this request for this API key (" + said + ").";
            case 404 -> notFoundHint != null && !notFoundHint.isBlank()
                    ? notFoundHint + " (" + said + ")"
                    : "Not found on Qarnot (" + said + ").";
            case 409 -> "Qarnot reports a conflict (" + said + ").";
            case 429 -> "Qarnot is rate-limiting this API key (" + said + ") and retrying did not help"
                    + (retryAfterSeconds != null ? "; it asks to wait " + retryAfterSeconds + " s" : "")
                    + ". Wait a little, then try again.";
            default -> status >= 500
                    ? "Qarnot had a server error (" + said + ") that persisted after retries. Try again in a minute."
                    : "Qarnot answered " + said + ".";
        };
    }

    private static boolean isQuota(String detail) {
        String d = detail.toLowerCase(Locale.ROOT);
        return d.contains("maximum number") || d.contains("quota") || d.contains("limit");
    }

    /** body.message, body.error.message or body.error, ProblemDetails title/detail/errors, else the raw text. */
    String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = null;
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.isObject()) {
                text = firstText(json.get("message"));
                if (text == null && json.has("error")) {
                    JsonNode error = json.get("error");
                    text = error.isObject() ? firstText(error.get("message")) : firstText(error);
                }
                if (text == null) {
                    text = problemDetails(json);
                }
            }
        } catch (Exception notJson) {
            // plain-text error body: use it as is
        }
        if (text == null) {
            text = body;
        }
        return clean(text);
    }

    private static String problemDetails(JsonNode json) {
        StringBuilder out = new StringBuilder();
        String title = firstText(json.get("title"));
        String detail = firstText(json.get("detail"));
        if (title != null) {
            out.append(title);
        }
        if (detail != null) {
            out.append(out.length() > 0 ? " " : "").append(detail);
        }
        JsonNode errors = json.get("errors");
        if (errors != null && errors.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.append(out.length() > 0 ? " " : "").append(field.getKey()).append(": ");
                out.append(field.getValue().isArray() && field.getValue().size() > 0
                        ? field.getValue().get(0).asText() : field.getValue().asText());
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String firstText(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String clean(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
