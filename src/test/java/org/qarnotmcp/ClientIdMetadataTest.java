package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.oauth.ClientIdMetadata;
import org.qarnotmcp.support.RunningServer;

/**
 * Sign-in with a Client ID Metadata Document: the client_id is an HTTPS URL, here a WireMock HTTPS server on
 * loopback. The test's fetcher trusts WireMock's self-signed certificate and allows loopback, which the standard
 * one refuses (checked at the end); everything else (timeouts, size, redirects, the document's checks) is the
 * production code.
 */
class ClientIdMetadataTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "cimd-test-secret-0123456789abcdefghijklmnop";
    static final String GOOD_KEY = "qk-cimd-good";
    static final String CALLBACK = "https://claude.ai/api/mcp/auth_callback";
    static final String VERIFIER = "cimd-verifier-0123456789-0123456789-0123456789";

    @RegisterExtension
    static WireMockExtension web = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().dynamicHttpsPort()).build();

    static RunningServer server;
    static String base;
    static ClientIdMetadata fetcher;
    HttpClient browser;

    static ClientIdMetadata testFetcher(Duration timeout, int maxBytes) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustWireMock()}, new SecureRandom());
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(4))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new ClientIdMetadata(http, InetAddress::isLoopbackAddress, timeout, maxBytes, JSON);
    }

    @BeforeAll
    static void start() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        base = "http://127.0.0.1:" + port;
        fetcher = testFetcher(Duration.ofMillis(4500), 4096); // under the slow stub's 6 s; room for a loaded machine's first TLS handshake
        server = RunningServer.start(Map.of("camel.server.port", String.valueOf(port), "camel.management.port",
                String.valueOf(port), "mcp.auth", "oauth", "mcp.token-secret", SECRET, "mcp.public-url", base,
                "qarnot.base-url", "http://127.0.0.1:" + web.getPort(), "mcp.oauth-redirect-uris", "https://vscode.dev/redirect"),
                Map.of("clientIdMetadata", fetcher));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        web.resetAll();
        web.stubFor(get("/info").withHeader("Authorization", equalTo(GOOD_KEY)).willReturn(okJson("{\"email\": \"ada@example.com\"}")));
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static String docUrl(String path) {
        return "https://localhost:" + web.getHttpsPort() + path;
    }

    static String document(String clientId, String name, List<String> redirects) throws Exception {
        return JSON.writeValueAsString(Map.of("client_id", clientId, "client_name", name, "redirect_uris", redirects,
                "token_endpoint_auth_method", "none"));
    }

    @Test
    void aClientNamedByItsDocumentSignsInAndCallsATool() throws Exception {
        String clientId = docUrl("/oauth/desk.json");
        web.stubFor(get("/oauth/desk.json").willReturn(okJson(document(clientId, "Desk Client", List.of(CALLBACK)))));
        JsonNode as = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/.well-known/oauth-authorization-server"))).body());
        assertThat(as.get("client_id_metadata_document_supported").asBoolean()).isTrue();
        assertThat(as.has("registration_endpoint")).as("dynamic registration stays").isTrue();

        String authorize = base + "/authorize?" + query(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", CALLBACK, "code_challenge", s256(VERIFIER), "code_challenge_method", "S256", "state", "s1"));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authorize)));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Desk Client", "claude.ai");
        page = send(HttpRequest.newBuilder(URI.create(authorize))); // a reload: its form (and cookie) replace the first
        web.verify(1, getRequestedFor(urlEqualTo("/oauth/desk.json"))); // the second page load used the cache

        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(base + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(Map.of("form", formToken(page.body()), "key", GOOD_KEY)))));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(302);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        assertThat(code.find()).isTrue();
        HttpResponse<String> tokens = send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(Map.of("grant_type", "authorization_code",
                        "code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), "redirect_uri", CALLBACK,
                        "client_id", clientId, "code_verifier", VERIFIER)))));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String access = JSON.readTree(tokens.body()).get("access_token").asText();
        HttpResponse<String> listed = send(HttpRequest.newBuilder(URI.create(base + "/mcp")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + access)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("list_tasks");
    }

    @Test
    void documentsThatDoNotHoldUpAreRefusedOnTheSignInPage() throws Exception {
        String mismatch = docUrl("/mismatch.json");
        web.stubFor(get("/mismatch.json").willReturn(okJson(document(docUrl("/other.json"), "X", List.of(CALLBACK)))));
        assertThat(signInPage(mismatch, CALLBACK)).contains("client_id is its own URL");

        String foreign = docUrl("/foreign.json");
        web.stubFor(get("/foreign.json").willReturn(okJson(document(foreign, "X", List.of("https://evil.example/cb")))));
        assertThat(signInPage(foreign, "https://evil.example/cb")).contains("neither on its own host");

        String big = docUrl("/big.json");
        web.stubFor(get("/big.json").willReturn(okJson(document(big, "x".repeat(5000), List.of(CALLBACK)))));
        assertThat(signInPage(big, CALLBACK)).contains("larger than 4096 bytes");

        String slow = docUrl("/slow.json");
        web.stubFor(get("/slow.json").willReturn(okJson(document(slow, "S", List.of(CALLBACK))).withFixedDelay(6000)));
        assertThat(signInPage(slow, CALLBACK)).contains("timed out");

        String moved = docUrl("/moved.json");
        web.stubFor(get("/moved.json").willReturn(aResponse().withStatus(302).withHeader("Location", docUrl("/desk.json"))));
        assertThat(signInPage(moved, CALLBACK)).contains("HTTP 302", "not followed");

        assertThat(signInPage("https://localhost:" + web.getHttpsPort(), CALLBACK)).contains("https://host/path");
        assertThat(signInPage(docUrl("/x.json").replace("https:", "http:"), CALLBACK)).contains("not registered");
    }

    @Test
    void sameHostAndConfiguredRedirectsAreAccepted() throws Exception {
        String own = docUrl("/own.json");
        String ownCallback = "https://localhost:" + web.getHttpsPort() + "/callback";
        web.stubFor(get("/own.json").willReturn(okJson(document(own, "Own Host", List.of(ownCallback, "https://vscode.dev/redirect")))));
        assertThat(signInPage(own, ownCallback)).contains("Own Host");
        assertThat(signInPage(own, "https://vscode.dev/redirect")).contains("Own Host", "vscode.dev");
        // Dynamic registration takes the configured extra too.
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(base + "/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"VS Code\",\"redirect_uris\":[\"https://vscode.dev/redirect\"]}")));
        assertThat(registered.statusCode()).isEqualTo(201);
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"Other\",\"redirect_uris\":[\"https://other.example/cb\"]}")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("MCP_OAUTH_REDIRECT_URIS");
    }

    @Test
    void theStandardFetcherRefusesLocalAndPrivateHostsBeforeAnyRequest() {
        ClientIdMetadata standard = ClientIdMetadata.standard(JSON);
        for (String url : List.of("https://127.0.0.1/c.json", "https://localhost:" + web.getHttpsPort() + "/c.json",
                "https://10.1.2.3/c.json", "https://192.168.1.1/c.json", "https://169.254.169.254/latest/c.json",
                "https://[::1]/c.json", "https://[fd00::1]/c.json", "https://100.64.0.1/c.json")) {
            assertThat(refusal(standard, url)).as(url).contains("private or local address");
        }
        assertThat(refusal(standard, "http://example.com/c.json")).contains("https://host/path");
        assertThat(refusal(standard, "https://user:pw@example.com/c.json")).contains("without credentials");
        web.verify(0, getRequestedFor(urlEqualTo("/c.json")));
    }

    static String refusal(ClientIdMetadata fetcher, String url) {
        try {
            fetcher.resolve(url).join();
            return "accepted";
        } catch (CompletionException e) {
            return e.getCause().getMessage();
        }
    }

    String signInPage(String clientId, String redirect) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/authorize?" + query(Map.of("response_type", "code",
                "client_id", clientId, "redirect_uri", redirect, "code_challenge", s256(VERIFIER),
                "code_challenge_method", "S256"))))).body().replace("&#39;", "'");
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String formToken(String html) {
        Matcher m = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static String query(Map<String, String> params) {
        return new LinkedHashMap<>(params).entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static String s256(String verifier) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Trusts WireMock's self-signed test certificate; used by this test's fetcher only. */
    static final class TrustWireMock extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
