package org.qarnotmcp.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays a client's part in this server's OAuth sign-in (register, sign-in page with the key, code for tokens,
 * refresh) against one base URL, e.g. one replica.
 */
public final class OAuthClient {

    public static final String CALLBACK = "https://claude.ai/api/mcp/auth_callback";
    static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public OAuthClient(String base) {
        this.base = base;
    }

    public String register() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("client_name", "Claude Test",
                        "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "none")))));
        expect(response, 201);
        return JSON.readTree(response.body()).get("client_id").asText();
    }

    /** Signs in with the key on the sign-in page; returns the authorization code. */
    public String signIn(String clientId, String key) throws Exception {
        String authorize = base + "/authorize?" + form(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", CALLBACK, "code_challenge", s256(VERIFIER), "code_challenge_method", "S256", "state", "s"));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authorize)).GET());
        expect(page, 200);
        Matcher token = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(page.body());
        if (!token.find()) {
            throw new AssertionError("the sign-in page has no form token");
        }
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(base + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("form", token.group(1), "key", key)))));
        expect(accepted, 302);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    public HttpResponse<String> exchange(String clientId, String code) throws Exception {
        return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK,
                "client_id", clientId, "code_verifier", VERIFIER));
    }

    public HttpResponse<String> refresh(String clientId, String refreshToken) throws Exception {
        return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
    }

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        expect(response, 200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> token(Map<String, String> fields) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static String s256(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
