package org.qarnotmcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {

    @Test
    void hostsMatchByNameWithAnyPortAndSubdomainWildcards() {
        AllowList hosts = new AllowList(List.of("localhost", "127.0.0.1", "[::1]", "*.trycloudflare.com", "mcp.example.com:443"));
        assertThat(hosts.allowsHost("localhost:8000")).isTrue();
        assertThat(hosts.allowsHost("LOCALHOST")).isTrue();
        assertThat(hosts.allowsHost("[::1]:8000")).isTrue();
        assertThat(hosts.allowsHost("a-b.trycloudflare.com")).isTrue();
        assertThat(hosts.allowsHost("trycloudflare.com")).isFalse();
        assertThat(hosts.allowsHost("evil.com:80")).isFalse();
        assertThat(hosts.allowsHost("localhost.evil.com")).isFalse();
        assertThat(hosts.allowsHost(null)).isFalse();
        assertThat(new AllowList(List.of("*")).allowsHost("anything")).isTrue();
    }

    @Test
    void originsMatchSchemeHostAndPort() {
        AllowList origins = new AllowList(List.of("http://localhost:*", "https://claude.ai", "https://*.example.com"));
        assertThat(origins.allowsOrigin("http://localhost:6274")).isTrue();
        assertThat(origins.allowsOrigin("http://localhost")).isTrue();
        assertThat(origins.allowsOrigin("https://localhost:6274")).isFalse();
        assertThat(origins.allowsOrigin("https://claude.ai")).isTrue();
        assertThat(origins.allowsOrigin("https://claude.ai:8443")).isFalse();
        assertThat(origins.allowsOrigin("http://claude.ai")).isFalse();
        assertThat(origins.allowsOrigin("https://app.example.com")).isTrue();
        assertThat(origins.allowsOrigin("null")).isFalse();
    }
}
