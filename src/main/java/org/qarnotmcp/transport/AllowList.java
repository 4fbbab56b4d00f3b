package org.qarnotmcp.transport;

import java.util.List;
import java.util.Locale;

/**
 * Matches Host and Origin values against patterns: exact names, {@code *.example.com} for any subdomain,
 * {@code :*} for any port, and {@code *} for anything.
 */
final class AllowList {

    private final List<String> patterns;

    AllowList(List<String> patterns) {
        this.patterns = patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** Host header: {@code name[:port]}; patterns name hosts, optionally with a port. */
    boolean allowsHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT).trim();
        String name = stripPort(host);
        for (String pattern : patterns) {
            if (pattern.equals("*") || pattern.equals(host) || matchesName(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    /** Origin header: {@code scheme://host[:port]}; patterns the same, with {@code *.} and {@code :*} wildcards. */
    boolean allowsOrigin(String origin) {
        String value = origin.toLowerCase(Locale.ROOT).trim();
        int schemeEnd = value.indexOf("://");
        if (schemeEnd < 0) {
            return patterns.contains("*");
        }
        String scheme = value.substring(0, schemeEnd);
        String authority = value.substring(schemeEnd + 3);
        for (String pattern : patterns) {
            if (pattern.equals("*") || pattern.equals(value)) {
                return true;
            }
            int pSchemeEnd = pattern.indexOf("://");
            if (pSchemeEnd < 0 || !pattern.substring(0, pSchemeEnd).equals(scheme)) {
                continue;
            }
            String pAuthority = pattern.substring(pSchemeEnd + 3);
            if (pAuthority.endsWith(":*")) {
                if (matchesName(pAuthority.substring(0, pAuthority.length() - 2), stripPort(authority))) {
                    return true;
                }
            } else if (!hasPort(pAuthority) && !hasPort(authority) && matchesName(pAuthority, authority)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesName(String pattern, String name) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return name.endsWith(suffix) && name.length() > suffix.length();
        }
        return pattern.equals(name);
    }

    private static boolean hasPort(String authority) {
        return !stripPort(authority).equals(authority);
    }

    /** {@code [::1]:8000} to {@code [::1]}, {@code localhost:8000} to {@code localhost}. */
    static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
