package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.oauth.TokenSealer;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;

/**
 * MCP_AUTH=oauth over plain HTTP, playing Claude's part: from a 401 to a tool call using only the discovery documents
 * and the sign-in page, and every refusal the issue lists.
 */
class OAuthFlowTest {

    static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    static final String GOOD_KEY = "qk-user-good-7e1f";
    static final String CALLBACK = "https://claude.ai/api/mcp/auth_callback";
    static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static RunningServer server;
    static String base;
    HttpClient browser;

    @BeforeAll
    static void start() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        base = "http://127.0.0.1:" + port;
        server = RunningServer.start(Map.of("camel.server.port", String.valueOf(port), "camel.management.port",
                String.valueOf(port), "mcp.auth", "oauth", "mcp.token-secret", SECRET, "mcp.public-url", base,
                "qarnot.base-url", qarnot.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void stubQarnot() {
        qarnot.resetAll();
        qarnot.stubFor(WireMock.get("/info").withHeader("Authorization", equalTo(GOOD_KEY))
                .willReturn(okJson("{\"email\": \"ada@example.com\"}")));
        qarnot.stubFor(WireMock.get("/info").atPriority(10).willReturn(aResponse().withStatus(401).withBody(Fixtures.BAD_TOKEN)));
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE)));
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void fromA401ToAToolCallWithTheUsersKey() throws Exception {
        HttpResponse<String> denied = send(HttpRequest.newBuilder(URI.create(base + "/mcp")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertThat(denied.statusCode()).isEqualTo(401);
        String challenge = denied.headers().firstValue("WWW-Authenticate").orElseThrow();
        Matcher metadataUrl = Pattern.compile("resource_metadata=\"([^\"]+)\"").matcher(challenge);
        assertThat(metadataUrl.find()).isTrue();

        JsonNode resource = getJson(metadataUrl.group(1));
        assertThat(resource.get("resource").asText()).isEqualTo(base + "/mcp");
        assertThat(getJson(base + "/.well-known/oauth-protected-resource").get("resource").asText()).isEqualTo(base + "/mcp");
        String issuer = resource.get("authorization_servers").get(0).asText();
        JsonNode as = getJson(issuer + "/.well-known/oauth-authorization-server");
        assertThat(as.get("code_challenge_methods_supported").toString()).contains("S256");
        assertThat(as.get("token_endpoint_auth_methods_supported").toString()).contains("none");
        assertThat(as.get("grant_types_supported").toString()).contains("authorization_code", "refresh_token");

        String clientId = register(as.get("registration_endpoint").asText(), CALLBACK);
        String authorizeUrl = as.get("authorization_endpoint").asText() + "?" + query(Map.of("response_type", "code",
                "client_id", clientId, "redirect_uri", CALLBACK, "code_challenge", OAuthChallenge.s256(VERIFIER),
                "code_challenge_method", "S256", "state", "st-123", "resource", base + "/mcp"));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authorizeUrl)).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Qarnot API key", "claude.ai", "Claude Test", "Settings &gt; Access token");

        HttpResponse<String> wrong = submitKey(authorizeUrl, page.body(), "qk-wrong");
        assertThat(wrong.statusCode()).as("a wrong key stays on the page").isEqualTo(200);
        assertThat(wrong.body()).contains("did not accept this key");

        HttpResponse<String> accepted = submitKey(authorizeUrl, wrong.body(), GOOD_KEY);
        assertThat(accepted.statusCode()).isEqualTo(302);
        Map<String, String> callback = params(accepted.headers().firstValue("Location").orElseThrow());
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "?code=");
        assertThat(callback).containsEntry("state", "st-123").containsEntry("iss", base);
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).doesNotContain(GOOD_KEY);

        JsonNode tokens = tokenRequest(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", VERIFIER, "resource", base + "/mcp"));
        String access = tokens.get("access_token").asText();
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(access).doesNotContain(GOOD_KEY);

        try (McpSyncClient client = server.client("Bearer " + access)) {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
            assertThat(result.isError()).isFalse();
        }
        qarnot.verify(postRequestedFor(urlEqualTo("/tasks/summaries/paginate")).withHeader("Authorization", equalTo(GOOD_KEY)));

        // Refresh rotates; the used refresh token is refused afterwards.
        String refresh = tokens.get("refresh_token").asText();
        JsonNode rotated = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", clientId));
        assertThat(rotated.get("access_token").asText()).isNotEqualTo(access);
        assertThat(rotated.get("refresh_token").asText()).isNotEqualTo(refresh);
        HttpResponse<String> reused = tokenResponse(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", clientId));
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(reused.body()).contains("invalid_grant", "already used");

        // The authorization code is single use.
        HttpResponse<String> codeAgain = tokenResponse(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", VERIFIER));
        assertThat(codeAgain.statusCode()).isEqualTo(400);
        assertThat(codeAgain.body()).contains("already used");
    }

    @Test
    void aWrongPkceVerifierIsRefused() throws Exception {
        String clientId = register(base + "/register", CALLBACK);
        String code = signIn(clientId, CALLBACK);
        HttpResponse<String> response = tokenResponse(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", VERIFIER.replace('0', '1')));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_grant", "PKCE");
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String clientId = register(base + "/register", CALLBACK);
        String expired = new TokenSealer(SECRET).seal("code", Map.of("cid", clientId, "ru", CALLBACK,
                "cc", OAuthChallenge.s256(VERIFIER), "key", GOOD_KEY), Duration.ofSeconds(-1));
        HttpResponse<String> response = tokenResponse(Map.of("grant_type", "authorization_code", "code", expired,
                "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", VERIFIER));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("expired");
    }

    @Test
    void anUnregisteredRedirectIsRefusedAtRegistrationAndAtAuthorization() throws Exception {
        HttpResponse<String> registration = send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"client_name\":\"Evil\",\"redirect_uris\":[\"https://evil.example/cb\"]}")));
        assertThat(registration.statusCode()).isEqualTo(400);
        assertThat(registration.body()).contains("invalid_redirect_uri");

        String clientId = register(base + "/register", CALLBACK);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/authorize?" + query(Map.of(
                "response_type", "code", "client_id", clientId, "redirect_uri", "https://claude.com/api/mcp/auth_callback",
                "code_challenge", OAuthChallenge.s256(VERIFIER), "code_challenge_method", "S256")))).GET());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("does not match");
        assertThat(page.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void pkceIsRequired() throws Exception {
        String clientId = register(base + "/register", CALLBACK);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/authorize?" + query(Map.of(
                "response_type", "code", "client_id", clientId, "redirect_uri", CALLBACK)))).GET());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("PKCE");
    }

    @Test
    void tamperedForeignSecretWrongAudienceAndExpiredTokensGet401() throws Exception {
        TokenSealer ours = new TokenSealer(SECRET);
        String good = ours.seal("access", Map.of("aud", base + "/mcp", "key", GOOD_KEY, "cid", "c"), Duration.ofMinutes(5));
        assertThat(mcpStatus(good)).isEqualTo(200);
        char last = good.charAt(good.length() - 5);
        String tampered = good.substring(0, good.length() - 5) + (last == 'A' ? 'B' : 'A') + good.substring(good.length() - 4);
        assertThat(mcpStatus(tampered)).isEqualTo(401);
        String foreign = new TokenSealer("another-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
                .seal("access", Map.of("aud", base + "/mcp", "key", GOOD_KEY, "cid", "c"), Duration.ofMinutes(5));
        assertThat(mcpStatus(foreign)).isEqualTo(401);
        String otherAudience = ours.seal("access", Map.of("aud", "https://other.example/mcp", "key", GOOD_KEY, "cid", "c"),
                Duration.ofMinutes(5));
        assertThat(mcpStatus(otherAudience)).isEqualTo(401);
        String expired = ours.seal("access", Map.of("aud", base + "/mcp", "key", GOOD_KEY, "cid", "c"), Duration.ofSeconds(-1));
        assertThat(mcpStatus(expired)).isEqualTo(401);
        String refreshAsAccess = ours.seal("refresh", Map.of("aud", base + "/mcp", "key", GOOD_KEY, "cid", "c"), Duration.ofMinutes(5));
        assertThat(mcpStatus(refreshAsAccess)).isEqualTo(401);
        assertThat(mcpStatus(GOOD_KEY)).as("a raw Qarnot key is not a token of this server").isEqualTo(401);
    }

    @Test
    void theFormRejectsAPostWithoutTheBrowsersCookie() throws Exception {
        String clientId = register(base + "/register", CALLBACK);
        String url = authorizeUrl(clientId, CALLBACK);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(url)).GET());
        HttpClient other = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> forged = other.send(HttpRequest.newBuilder(URI.create(base + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(Map.of("form", formToken(page.body()), "key", GOOD_KEY)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void keyAttemptsAreBounded() throws Exception {
        String clientId = register(base + "/register", CALLBACK);
        String url = authorizeUrl(clientId, CALLBACK);
        String body = send(HttpRequest.newBuilder(URI.create(url)).GET()).body();
        int last = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = submitKey(url, body, "qk-wrong-" + i);
            last = response.statusCode();
            body = response.statusCode() == 200 ? response.body() : body;
        }
        assertThat(last).isEqualTo(429);
    }

    @Test
    void pageTextIsEscaped() throws Exception {
        String clientId = registerNamed(base + "/register", CALLBACK, "<script>alert(1)</script>");
        String html = send(HttpRequest.newBuilder(URI.create(authorizeUrl(clientId, CALLBACK))).GET()).body();
        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    // ---- the client's side -----------------------------------------------------------------------------------

    String signIn(String clientId, String redirect) throws Exception {
        String url = authorizeUrl(clientId, redirect);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(url)).GET());
        HttpResponse<String> accepted = submitKey(url, page.body(), GOOD_KEY);
        assertThat(accepted.statusCode()).isEqualTo(302);
        return params(accepted.headers().firstValue("Location").orElseThrow()).get("code");
    }

    static String authorizeUrl(String clientId, String redirect) {
        return base + "/authorize?" + query(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirect,
                "code_challenge", OAuthChallenge.s256(VERIFIER), "code_challenge_method", "S256", "state", "s"));
    }

    HttpResponse<String> submitKey(String authorizeUrl, String pageHtml, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(Map.of("form", formToken(pageHtml), "key", key)))));
    }

    static String formToken(String html) {
        Matcher m = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the page has the form token").isTrue();
        return m.group(1);
    }

    String register(String endpoint, String redirect) throws Exception {
        return registerNamed(endpoint, redirect, "Claude Test");
    }

    String registerNamed(String endpoint, String redirect, String name) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("client_name", name,
                        "redirect_uris", java.util.List.of(redirect), "token_endpoint_auth_method", "none")))));
        assertThat(response.statusCode()).isEqualTo(201);
        return JSON.readTree(response.body()).get("client_id").asText();
    }

    JsonNode tokenRequest(Map<String, String> form) throws Exception {
        HttpResponse<String> response = tokenResponse(form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        return JSON.readTree(response.body());
    }

    HttpResponse<String> tokenResponse(Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(form))));
    }

    int mcpStatus(String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/mcp")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))).statusCode();
    }

    JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Map<String, String> params(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** PKCE S256 as a client computes it. */
    static final class OAuthChallenge {
        static String s256(String verifier) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
