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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;

/**
 * The sign-in in a real browser (Debian's headless Chromium, driven by Selenium), with the test playing Claude:
 * discovery from the 401, registration with Claude's callback URL, the sign-in page (a wrong key first, then the
 * right one), the redirect with code, state and iss, the token exchange, then a tool call whose key reaches Qarnot.
 */
class OAuthBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CALLBACK = "https://claude.ai/api/mcp/auth_callback";
    static final String KEY = "qk-browser-5b2d";
    static final String VERIFIER = "browser-verifier-0123456789-0123456789-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void signInInABrowserThenCallATool(@TempDir Path profile) throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Chromium is installed (apt-get install chromium chromium-driver; .ci/run does it)").exists();
        assertThat(Path.of(CHROMEDRIVER)).as("chromedriver is installed").exists();
        qarnot.stubFor(WireMock.get("/info").withHeader("Authorization", equalTo(KEY)).willReturn(okJson("{\"email\":\"ada@example.com\"}")));
        qarnot.stubFor(WireMock.get("/info").atPriority(10).willReturn(aResponse().withStatus(401).withBody(Fixtures.BAD_TOKEN)));
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE)));

        int port = AvailablePortFinder.getNextAvailable();
        String base = "http://127.0.0.1:" + port;
        try (RunningServer server = RunningServer.start(Map.of("camel.server.port", String.valueOf(port),
                "camel.management.port", String.valueOf(port), "mcp.auth", "oauth",
                "mcp.token-secret", "browser-test-secret-0123456789-abcdefghijklmnop", "qarnot.base-url", qarnot.baseUrl()))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Claude: 401 -> protected resource metadata -> authorization server metadata -> registration.
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            String prmUrl = denied.headers().firstValue("WWW-Authenticate").orElseThrow().replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1");
            JsonNode prm = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(prmUrl)).build(), HttpResponse.BodyHandlers.ofString()).body());
            String issuer = prm.get("authorization_servers").get(0).asText();
            JsonNode as = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/oauth-authorization-server"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode registered = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(as.get("registration_endpoint").asText()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"client_name\":\"Claude\",\"redirect_uris\":[\"" + CALLBACK + "\",\"https://claude.com/api/mcp/auth_callback\"],"
                                    + "\"token_endpoint_auth_method\":\"none\"}")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String clientId = registered.get("client_id").asText();
            String authorize = as.get("authorization_endpoint").asText() + "?" + OAuthFlowTest.query(Map.of(
                    "response_type", "code", "client_id", clientId, "redirect_uri", CALLBACK, "state", "browser-state",
                    "code_challenge", OAuthFlowTest.OAuthChallenge.s256(VERIFIER), "code_challenge_method", "S256",
                    "resource", prm.get("resource").asText()));

            // The user, in a browser.
            String callback;
            WebDriver browser = chromium(profile);
            try {
                browser.get(authorize);
                assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Claude");
                assertThat(browser.findElement(By.cssSelector("label[for=key]")).getText()).isEqualTo("Qarnot API key");
                browser.findElement(By.id("key")).sendKeys("qk-wrong");
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".error")).isEmpty());
                assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("did not accept this key");
                assertThat(browser.getCurrentUrl()).startsWith(base + "/authorize");

                browser.findElement(By.id("key")).sendKeys(KEY);
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                // claude.ai is unreachable from here: read where the browser was sent from its network log.
                callback = new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> navigatedTo(d, CALLBACK));
            } finally {
                browser.quit();
            }
            Map<String, String> params = OAuthFlowTest.params(callback);
            assertThat(params).containsEntry("state", "browser-state").containsEntry("iss", issuer).containsKey("code");

            // Claude again: the code for tokens, then a tool call.
            HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(as.get("token_endpoint").asText()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(OAuthFlowTest.query(Map.of("grant_type", "authorization_code",
                            "code", params.get("code"), "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", VERIFIER,
                            "resource", prm.get("resource").asText())))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
            String access = JSON.readTree(tokens.body()).get("access_token").asText();
            try (McpSyncClient client = server.client("Bearer " + access)) {
                assertThat(client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())).isError()).isFalse();
            }
            qarnot.verify(postRequestedFor(urlEqualTo("/tasks/summaries/paginate")).withHeader("Authorization", equalTo(KEY)));
        }
    }

    static WebDriver chromium(Path profile) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(profile));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The URL the browser was sent to under the given prefix (from the current URL or the network log), or null. */
    static String navigatedTo(WebDriver browser, String prefix) {
        if (browser.getCurrentUrl() != null && browser.getCurrentUrl().startsWith(prefix)) {
            return browser.getCurrentUrl();
        }
        List<LogEntry> entries = browser.manage().logs().get(LogType.PERFORMANCE).getAll();
        for (LogEntry entry : entries) {
            String message = entry.getMessage();
            int at = message.indexOf("\"url\":\"" + prefix);
            if (at >= 0) {
                int start = at + 7;
                return message.substring(start, message.indexOf('"', start)).replace("\\u0026", "&");
            }
        }
        return null;
    }
}
