package org.qarnotmcp.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.qarnotmcp.Versions;

/** Asks Qarnot whether a key is valid ({@code GET /info}), without blocking: the sign-in page waits on the answer. */
final class QarnotKeyCheck {

    /** valid: the key works (email when Qarnot said); otherwise a message for the page. */
    record Result(boolean valid, String email, String problem) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final ObjectMapper mapper;

    QarnotKeyCheck(String baseUrl, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.mapper = mapper;
    }

    CompletableFuture<Result> check(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/info"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", key)
                .header("Accept", "application/json")
                .header("User-Agent", Versions.USER_AGENT)
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                return new Result(false, null, "Qarnot could not be reached to check the key. Try again in a minute.");
            }
            int status = response.statusCode();
            if (status == 200) {
                return new Result(true, email(response.body()), null);
            }
            if (status == 401 || status == 403) {
                return new Result(false, null, "Qarnot did not accept this key. Copy it again from Tasq "
                        + "(Settings > Access token) and paste it whole.");
            }
            return new Result(false, null, "Qarnot answered HTTP " + status + " while checking the key. Try again in a minute.");
        });
    }

    private String email(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            return json.hasNonNull("email") ? json.get("email").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
