package org.qarnotmcp.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Client ID Metadata Documents (the registration MCP 2026-07-28 recommends; claude.ai uses it): the client's
 * {@code client_id} is an HTTPS URL, and the JSON document there names the client and its redirect URIs. The
 * server fetches it itself, so the fetch is guarded like any request an outsider can trigger: HTTPS only, a URL with
 * a path and no credentials or fragment, every address of the host public (no loopback, private, link-local, CGNAT
 * or multicast: the metadata endpoint of a cloud VM is not a client), no redirects followed, connect and total
 * timeouts, a size limit, and a cache so that a sign-in page reload does not fetch again.
 *
 * <p>A redirect URI in the document must be one the server accepts from any client (Claude's, loopback, the ones in
 * {@code MCP_OAUTH_REDIRECT_URIS}) or an HTTPS URL on the document's own host: the owner of the domain vouches for it.
 */
public final class ClientIdMetadata {

    /** A client as its document describes it. */
    public record Client(String clientId, String name, List<String> redirectUris) {
    }

    /** Why a document was refused, in words for the sign-in page (never the document's content). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final int MAX_CACHED = 500;

    private final HttpClient http;
    private final Predicate<InetAddress> addressAllowed;
    private final Duration timeout;
    private final int maxBytes;
    private final ObjectMapper mapper;
    private final Executor resolver;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Predicate<String> redirectAllowed = uri -> false;

    private record Cached(Client client, long expiresAt) {
    }

    /** The production fetcher: system trust store, public addresses only, 5 s, 16 KB. */
    public static ClientIdMetadata standard(ObjectMapper mapper) {
        Duration timeout = Duration.ofSeconds(5);
        return new ClientIdMetadata(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build(), ClientIdMetadata::isPublic, timeout, 16_384, mapper);
    }

    /** Tests give their own client (trusting a test certificate) and address rule. */
    public ClientIdMetadata(HttpClient http, Predicate<InetAddress> addressAllowed, Duration timeout, int maxBytes,
            ObjectMapper mapper) {
        this.http = http;
        this.addressAllowed = addressAllowed;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.mapper = mapper;
        this.resolver = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cimd-dns");
            t.setDaemon(true);
            return t;
        });
    }

    /** The redirect URIs the server accepts from any client (set by the OAuth endpoints). */
    void acceptRedirects(Predicate<String> allowed) {
        this.redirectAllowed = allowed;
    }

    /** A client_id of this kind: an https URL (dynamic registration's ids are sealed tokens, never URLs). */
    public static boolean isDocumentUrl(String clientId) {
        return clientId != null && clientId.startsWith("https://");
    }

    /** The client the document at {@code clientId} describes; fails with {@link Refused}. */
    public CompletableFuture<Client> resolve(String clientId) {
        Cached cached = cache.get(clientId);
        if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            return CompletableFuture.completedFuture(cached.client());
        }
        URI url;
        try {
            url = checkedUrl(clientId);
        } catch (Refused e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> checkAddresses(url.getHost()), resolver)
                .thenCompose(ok -> http.sendAsync(HttpRequest.newBuilder(url).timeout(timeout)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream()))
                .thenApply(response -> read(clientId, url, response))
                .handle((client, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        throw cause instanceof Refused refused ? refused
                                : new Refused("The client's metadata document at " + url.getHost() + " could not be fetched ("
                                        + (cause instanceof java.net.http.HttpTimeoutException ? "timed out" : "no answer") + ").");
                    }
                    if (cache.size() >= MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(clientId, new Cached(client, System.currentTimeMillis() + CACHE_TTL.toMillis()));
                    return client;
                });
    }

    static URI checkedUrl(String clientId) {
        URI url;
        try {
            url = URI.create(clientId);
        } catch (IllegalArgumentException e) {
            throw new Refused("The client_id is not a valid URL.");
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawFragment() != null || url.getRawPath() == null || url.getRawPath().length() < 2
                || url.getRawPath().contains("/./") || url.getRawPath().contains("/../")) {
            throw new Refused("A client_id URL must be https://host/path, without credentials, fragment or dot segments.");
        }
        return url;
    }

    private Boolean checkAddresses(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (Exception e) {
            throw new Refused("The client's host " + host + " does not resolve.");
        }
        for (InetAddress address : addresses) {
            if (!addressAllowed.test(address)) {
                throw new Refused("The client's host " + host + " has a private or local address; client metadata is "
                        + "only fetched from public hosts.");
            }
        }
        return true;
    }

    private Client read(String clientId, URI url, HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new Refused("The client's metadata document answered HTTP " + response.statusCode() + " (redirects "
                        + "are not followed).");
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new Refused("The client's metadata document is larger than " + maxBytes + " bytes.");
            }
            JsonNode doc = mapper.readTree(bytes);
            if (doc == null || !doc.isObject() || !clientId.equals(doc.path("client_id").asText(null))) {
                throw new Refused("The client's metadata document must be a JSON object whose client_id is its own URL.");
            }
            String method = doc.path("token_endpoint_auth_method").asText("none");
            if (!"none".equals(method)) {
                throw new Refused("Only public clients are supported (token_endpoint_auth_method none).");
            }
            List<String> redirects = new ArrayList<>();
            for (JsonNode uri : doc.path("redirect_uris")) {
                String value = uri.asText("");
                if (!redirectAllowed.test(value) && !sameHostHttps(value, url.getHost())) {
                    throw new Refused("The client's redirect URI " + clip(value, 100) + " is neither on its own host "
                            + url.getHost() + " nor one this server accepts (MCP_OAUTH_REDIRECT_URIS).");
                }
                redirects.add(value);
            }
            if (redirects.isEmpty()) {
                throw new Refused("The client's metadata document lists no redirect_uris.");
            }
            String name = doc.path("client_name").asText(url.getHost());
            return new Client(clientId, clip(name.isBlank() ? url.getHost() : name, 100), List.copyOf(redirects));
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused("The client's metadata document is not valid JSON.");
        }
    }

    private static boolean sameHostHttps(String uri, String host) {
        try {
            URI parsed = URI.create(uri);
            return "https".equals(parsed.getScheme()) && host.equalsIgnoreCase(parsed.getHost()) && parsed.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Public unicast only: no loopback, any-local, link-local, private (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT, multicast. */
    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 198 && (second == 18 || second == 19))
                    && first < 240;
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private static String clip(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", "");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
