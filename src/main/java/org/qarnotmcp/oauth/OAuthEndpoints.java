package org.qarnotmcp.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Context;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.qarnotmcp.credential.BearerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server as its own OAuth 2.1 authorization server, for clients that cannot send a Qarnot key themselves
 * (Claude Web): discovery documents (RFC 9728, RFC 8414), stateless dynamic client registration (RFC 7591; the
 * registration is sealed inside the client id), a sign-in page that asks for the Qarnot key once and checks it
 * with Qarnot, authorization codes with PKCE S256 and {@code iss} (RFC 9207), and rotating refresh tokens. Access
 * tokens are encrypted, carry the Qarnot key and are valid only for this server's MCP URL (audience).
 */
public final class OAuthEndpoints {

    /** Routing-context key under which the gate leaves the caller's Qarnot key for the MCP handler. */
    public static final String QARNOT_KEY = "qarnot.key";

    static final List<String> CLAUDE_CALLBACKS = List.of("https://claude.ai/api/mcp/auth_callback",
            "https://claude.com/api/mcp/auth_callback");
    private static final Pattern LOOPBACK = Pattern.compile("http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d{1,5})?(/[^?#]*)?");
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Duration CODE_TTL = Duration.ofSeconds(60);
    private static final Duration FORM_TTL = Duration.ofMinutes(10);
    private static final int MAX_KEY_ATTEMPTS = 5;
    private static final String CSRF_COOKIE = "qmcp_csrf";
    private static final Logger LOG = LoggerFactory.getLogger(OAuthEndpoints.class);

    private final TokenSealer sealer;
    private final PublicUrl urls;
    private final QarnotKeyCheck keys;
    private final String mcpPath;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final ReplayGuard replays = new ReplayGuard();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ClientIdMetadata clientDocuments;
    private final List<String> extraRedirects;

    /**
     * {@code extraRedirects}: exact redirect URIs accepted besides Claude's and loopback (MCP_OAUTH_REDIRECT_URIS,
     * e.g. https://vscode.dev/redirect); {@code clientDocuments} fetches Client ID Metadata Documents.
     */
    public OAuthEndpoints(TokenSealer sealer, String publicUrl, boolean trustForwarded, String mcpPath, String qarnotBaseUrl,
            Duration accessTtl, Duration refreshTtl, ObjectMapper mapper, ClientIdMetadata clientDocuments,
            List<String> extraRedirects) {
        this.clientDocuments = clientDocuments;
        this.extraRedirects = List.copyOf(extraRedirects);
        clientDocuments.acceptRedirects(this::allowedRedirect);
        this.sealer = sealer;
        this.urls = new PublicUrl(publicUrl, trustForwarded, mcpPath);
        this.keys = new QarnotKeyCheck(qarnotBaseUrl, mapper);
        this.mcpPath = mcpPath;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    /** Mounts the OAuth endpoints; returns the routes so that they can be removed on stop. */
    public List<Route> mount(Router router) {
        List<Route> routes = new ArrayList<>();
        for (String suffix : List.of("", mcpPath)) {
            routes.add(router.route("/.well-known/oauth-protected-resource" + suffix).method(HttpMethod.GET).handler(this::resourceMetadata));
            routes.add(router.route("/.well-known/oauth-authorization-server" + suffix).method(HttpMethod.GET).handler(this::serverMetadata));
        }
        routes.add(router.route("/register").method(HttpMethod.POST).handler(BodyHandler.create(false).setBodyLimit(16_384)).handler(this::register));
        routes.add(router.route("/authorize").method(HttpMethod.GET).handler(this::authorizePage));
        routes.add(router.route("/authorize").method(HttpMethod.POST).handler(BodyHandler.create(false).setBodyLimit(16_384)).handler(this::authorizeSubmit));
        routes.add(router.route("/token").method(HttpMethod.POST).handler(BodyHandler.create(false).setBodyLimit(32_768)).handler(this::token));
        return routes;
    }

    // ---- /mcp gate ------------------------------------------------------------------------------------------------

    /** Lets through only requests with an access token this server issued for its own MCP URL. */
    public void gate(RoutingContext rc) {
        if (rc.request().method() == HttpMethod.OPTIONS) {
            rc.next();
            return;
        }
        String header = rc.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (token == null || token.isEmpty()) {
            unauthorized(rc, null);
            return;
        }
        try {
            JWTClaimsSet claims = sealer.open(token, "access");
            if (!claims.getAudience().contains(urls.resource(rc))) {
                unauthorized(rc, "the token was issued for another server");
                return;
            }
            rc.put(QARNOT_KEY, claims.getClaim("key"));
            rc.next();
        } catch (TokenSealer.InvalidToken e) {
            unauthorized(rc, e.getMessage());
        }
    }

    private void unauthorized(RoutingContext rc, String problem) {
        String metadata = urls.base(rc) + "/.well-known/oauth-protected-resource" + mcpPath;
        String challenge = "Bearer resource_metadata=\"" + metadata + "\""
                + (problem == null ? "" : ", error=\"invalid_token\", error_description=\"" + problem + "\"");
        rc.response().setStatusCode(401).putHeader("WWW-Authenticate", challenge).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject().put("code", -32001)
                        .put("message", "Sign-in required: this server uses OAuth (" + (problem == null ? "no token" : problem)
                                + "). Follow " + metadata)).encode());
    }

    // ---- discovery --------------------------------------------------------------------------------------------------

    private void resourceMetadata(RoutingContext rc) {
        json(rc, 200, new JsonObject()
                .put("resource", urls.resource(rc))
                .put("authorization_servers", new JsonArray().add(urls.base(rc)))
                .put("bearer_methods_supported", new JsonArray().add("header"))
                .put("resource_name", "Qarnot-Manager"));
    }

    private void serverMetadata(RoutingContext rc) {
        String base = urls.base(rc);
        json(rc, 200, new JsonObject()
                .put("issuer", base)
                .put("authorization_endpoint", base + "/authorize")
                .put("token_endpoint", base + "/token")
                .put("registration_endpoint", base + "/register")
                .put("response_types_supported", new JsonArray().add("code"))
                .put("grant_types_supported", new JsonArray().add("authorization_code").add("refresh_token"))
                .put("code_challenge_methods_supported", new JsonArray().add("S256"))
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("none"))
                .put("authorization_response_iss_parameter_supported", true)
                .put("client_id_metadata_document_supported", true));
    }

    // ---- registration -------------------------------------------------------------------------------------------------

    private void register(RoutingContext rc) {
        JsonObject request;
        try {
            request = rc.body().asJsonObject();
        } catch (RuntimeException e) {
            request = null;
        }
        if (request == null) {
            oauthError(rc, 400, "invalid_client_metadata", "Send the client metadata as a JSON object.");
            return;
        }
        JsonArray uris = request.getJsonArray("redirect_uris");
        if (uris == null || uris.isEmpty()) {
            oauthError(rc, 400, "invalid_redirect_uri", "redirect_uris is required.");
            return;
        }
        List<String> redirects = new ArrayList<>();
        for (Object uri : uris) {
            if (!(uri instanceof String s) || !allowedRedirect(s)) {
                oauthError(rc, 400, "invalid_redirect_uri", "Allowed redirect URIs are Claude's callbacks " + CLAUDE_CALLBACKS
                        + ", loopback http://localhost or http://127.0.0.1 addresses"
                        + (extraRedirects.isEmpty() ? "" : ", and " + extraRedirects) + " (the operator adds more with "
                        + "MCP_OAUTH_REDIRECT_URIS).");
                return;
            }
            redirects.add(s);
        }
        String method = request.getString("token_endpoint_auth_method", "none");
        if (!"none".equals(method)) {
            oauthError(rc, 400, "invalid_client_metadata", "Only public clients are supported: token_endpoint_auth_method none.");
            return;
        }
        String name = clip(request.getString("client_name", "An MCP client"), 100);
        String clientId = sealer.seal("client", Map.of("ru", redirects, "name", name), Duration.ofDays(3650));
        json(rc, 201, new JsonObject()
                .put("client_id", clientId)
                .put("client_id_issued_at", System.currentTimeMillis() / 1000)
                .put("client_name", name)
                .put("redirect_uris", new JsonArray(redirects))
                .put("token_endpoint_auth_method", "none")
                .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
                .put("response_types", new JsonArray().add("code")));
    }

    boolean allowedRedirect(String uri) {
        return CLAUDE_CALLBACKS.contains(uri) || extraRedirects.contains(uri) || LOOPBACK.matcher(uri).matches();
    }

    // ---- sign-in page ---------------------------------------------------------------------------------------------------

    private void authorizePage(RoutingContext rc) {
        String clientId = rc.request().getParam("client_id");
        if (ClientIdMetadata.isDocumentUrl(clientId)) {
            Context context = rc.vertx().getOrCreateContext();
            clientDocuments.resolve(clientId).whenComplete((client, error) -> context.runOnContext(v -> {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    page(rc, 400, SignInPage.error("Client not recognised", cause instanceof ClientIdMetadata.Refused
                            ? cause.getMessage() : "The client's metadata document could not be read."));
                } else {
                    authorizeFor(rc, client.name(), client.redirectUris());
                }
            }));
            return;
        }
        JWTClaimsSet client;
        try {
            client = sealer.open(clientId, "client");
        } catch (TokenSealer.InvalidToken e) {
            page(rc, 400, SignInPage.error("Unknown client", "This client is not registered with this server (or was "
                    + "registered under another secret). Remove and add the connector again so that it registers anew."));
            return;
        }
        authorizeFor(rc, String.valueOf(client.getClaim("name")), stringList(client.getClaim("ru")));
    }

    /** The sign-in page for a known client (registered, or described by its metadata document). */
    private void authorizeFor(RoutingContext rc, String clientName, List<String> redirects) {
        String redirect = rc.request().getParam("redirect_uri");
        if (redirect == null || !redirects.contains(redirect)) {
            page(rc, 400, SignInPage.error("Redirect not registered", "The redirect_uri does not match the client's "
                    + "registration exactly."));
            return;
        }
        String problem = null;
        if (!"code".equals(rc.request().getParam("response_type"))) {
            problem = "response_type must be code.";
        } else if (rc.request().getParam("code_challenge") == null
                || !"S256".equals(rc.request().getParam("code_challenge_method"))) {
            problem = "PKCE is required: send code_challenge with code_challenge_method=S256.";
        } else if (rc.request().getParam("resource") != null && !rc.request().getParam("resource").equals(urls.resource(rc))) {
            problem = "resource must be this server's MCP URL, " + urls.resource(rc) + ".";
        }
        if (problem != null) {
            page(rc, 400, SignInPage.error("Invalid sign-in request", problem));
            return;
        }
        String nonce = randomId();
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("cid", rc.request().getParam("client_id"));
        form.put("ru", redirect);
        form.put("cc", rc.request().getParam("code_challenge"));
        form.put("name", clientName);
        form.put("nonce", nonce);
        if (rc.request().getParam("state") != null) {
            form.put("st", rc.request().getParam("state"));
        }
        Cookie cookie = Cookie.cookie(CSRF_COOKIE, nonce).setPath("/authorize").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(FORM_TTL.toSeconds())
                .setSecure(urls.base(rc).startsWith("https:"));
        rc.response().addCookie(cookie);
        page(rc, 200, SignInPage.form(clientName, hostOf(redirect),
                sealer.seal("form", form, FORM_TTL), null));
    }

    private void authorizeSubmit(RoutingContext rc) {
        JWTClaimsSet form;
        try {
            form = sealer.open(rc.request().getFormAttribute("form"), "form");
        } catch (TokenSealer.InvalidToken e) {
            page(rc, 400, SignInPage.error("Sign-in expired", "This sign-in form has expired or is not valid. Start again "
                    + "from your client."));
            return;
        }
        String nonce = String.valueOf(form.getClaim("nonce"));
        Cookie cookie = rc.request().getCookie(CSRF_COOKIE);
        if (cookie == null || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8))) {
            page(rc, 403, SignInPage.error("Sign-in not verified", "This form was not opened in this browser (or cookies "
                    + "are blocked). Start again from your client."));
            return;
        }
        if (attempts.size() > 10_000) {
            attempts.clear(); // abandoned forms; their tokens expire within FORM_TTL anyway
        }
        if (attempts.merge(nonce, 1, Integer::sum) > MAX_KEY_ATTEMPTS) {
            page(rc, 429, SignInPage.error("Too many attempts", "Too many keys were tried with this form. Start again "
                    + "from your client."));
            return;
        }
        String key = rc.request().getFormAttribute("key") == null ? "" : rc.request().getFormAttribute("key").trim();
        String formToken = rc.request().getFormAttribute("form");
        String name = String.valueOf(form.getClaim("name"));
        String redirect = String.valueOf(form.getClaim("ru"));
        try {
            BearerCredentials.parse("Bearer " + key);
        } catch (RuntimeException e) {
            page(rc, 200, SignInPage.form(name, hostOf(redirect), formToken,
                    "That does not look like a Qarnot API key: paste the key from Tasq, on one line."));
            return;
        }
        Context context = rc.vertx().getOrCreateContext();
        String base = urls.base(rc);
        keys.check(key).whenComplete((result, error) -> context.runOnContext(v -> {
            if (error != null || result == null || !result.valid()) {
                page(rc, 200, SignInPage.form(name, hostOf(redirect), formToken,
                        result != null && result.problem() != null ? result.problem() : "The key could not be checked."));
                return;
            }
            attempts.remove(nonce);
            Map<String, Object> code = new LinkedHashMap<>();
            code.put("cid", form.getClaim("cid"));
            code.put("ru", redirect);
            code.put("cc", form.getClaim("cc"));
            code.put("key", key);
            if (result.email() != null) {
                code.put("email", result.email());
            }
            StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?')
                    .append("code=").append(encode(sealer.seal("code", code, CODE_TTL)));
            if (form.getClaim("st") != null) {
                location.append("&state=").append(encode(String.valueOf(form.getClaim("st"))));
            }
            location.append("&iss=").append(encode(base));
            LOG.info("OAuth sign-in accepted for client '{}' (redirect host {})", clip(name, 60), hostOf(redirect));
            rc.response().setStatusCode(302).putHeader("Location", location.toString())
                    .putHeader("Cache-Control", "no-store").end();
        }));
    }

    // ---- token endpoint ---------------------------------------------------------------------------------------------

    private void token(RoutingContext rc) {
        rc.response().putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
        String clientId = rc.request().getFormAttribute("client_id");
        try {
            // A metadata-document client was checked at sign-in; its code and refresh tokens are bound to that URL.
            if (!ClientIdMetadata.isDocumentUrl(clientId)) {
                sealer.open(clientId, "client");
            }
        } catch (TokenSealer.InvalidToken e) {
            oauthError(rc, 401, "invalid_client", "Unknown client_id; register again.");
            return;
        }
        String resource = rc.request().getFormAttribute("resource");
        if (resource != null && !resource.equals(urls.resource(rc))) {
            oauthError(rc, 400, "invalid_target", "resource must be " + urls.resource(rc));
            return;
        }
        String grant = rc.request().getFormAttribute("grant_type");
        JWTClaimsSet claims;
        try {
            if ("authorization_code".equals(grant)) {
                claims = sealer.open(rc.request().getFormAttribute("code"), "code");
                String verifier = rc.request().getFormAttribute("code_verifier");
                if (!clientId.equals(claims.getClaim("cid"))) {
                    throw new TokenSealer.InvalidToken("the code was issued to another client");
                }
                if (!String.valueOf(claims.getClaim("ru")).equals(rc.request().getFormAttribute("redirect_uri"))) {
                    throw new TokenSealer.InvalidToken("redirect_uri does not match the authorization request");
                }
                if (verifier == null || !VERIFIER.matcher(verifier).matches()
                        || !s256(verifier).equals(claims.getClaim("cc"))) {
                    throw new TokenSealer.InvalidToken("PKCE verification failed");
                }
                if (!replays.firstUse(claims.getJWTID(), claims.getExpirationTime().toInstant())) {
                    throw new TokenSealer.InvalidToken("the code was already used");
                }
            } else if ("refresh_token".equals(grant)) {
                claims = sealer.open(rc.request().getFormAttribute("refresh_token"), "refresh");
                if (!clientId.equals(claims.getClaim("cid"))) {
                    throw new TokenSealer.InvalidToken("the refresh token was issued to another client");
                }
                if (!replays.firstUse(claims.getJWTID(), claims.getExpirationTime().toInstant())) {
                    throw new TokenSealer.InvalidToken("the refresh token was already used (they rotate: use the newest)");
                }
            } else {
                oauthError(rc, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
                return;
            }
        } catch (TokenSealer.InvalidToken e) {
            oauthError(rc, 400, "invalid_grant", e.getMessage());
            return;
        }
        Map<String, Object> grantData = new LinkedHashMap<>();
        grantData.put("cid", clientId);
        grantData.put("key", claims.getClaim("key"));
        if (claims.getClaim("email") != null) {
            grantData.put("email", claims.getClaim("email"));
        }
        Map<String, Object> access = new LinkedHashMap<>(grantData);
        access.put("aud", urls.resource(rc));
        json(rc, 200, new JsonObject()
                .put("access_token", sealer.seal("access", access, accessTtl))
                .put("token_type", "Bearer")
                .put("expires_in", accessTtl.toSeconds())
                .put("refresh_token", sealer.seal("refresh", grantData, refreshTtl)));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String> stringList(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        }
        return out;
    }

    private static String hostOf(String uri) {
        try {
            return URI.create(uri).getHost();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String clip(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", "");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void oauthError(RoutingContext rc, int status, String error, String description) {
        json(rc, status, new JsonObject().put("error", error).put("error_description", description));
    }

    private static void page(RoutingContext rc, int status, String html) {
        rc.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .end(html);
    }
}
