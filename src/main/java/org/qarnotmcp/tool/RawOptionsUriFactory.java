package org.qarnotmcp.tool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.support.component.EndpointUriFactorySupport;

/**
 * Tells the YAML DSL how to write a component's options into the endpoint URI. The options listed as "secret" are
 * wrapped in {@code RAW(...)}, so that {@code &}, {@code +} and {@code %} in schemas, descriptions and message
 * templates survive (and route dumps mask them).
 */
abstract class RawOptionsUriFactory extends EndpointUriFactorySupport {

    private final String scheme;
    private final String defaultName;
    private final Set<String> properties;
    private final Set<String> raw;

    RawOptionsUriFactory(String scheme, String defaultName, Set<String> properties, Set<String> raw) {
        this.scheme = scheme;
        this.defaultName = defaultName;
        this.properties = properties;
        this.raw = raw;
    }

    @Override
    public boolean isEnabled(String scheme) {
        return this.scheme.equals(scheme);
    }

    @Override
    public String buildUri(String scheme, Map<String, Object> properties, boolean encode) {
        Map<String, Object> copy = new LinkedHashMap<>(properties);
        Object name = copy.remove("name");
        return buildQueryParameters(scheme + ":" + (name == null ? defaultName : name), copy, encode);
    }

    @Override
    public Set<String> propertyNames() {
        return properties;
    }

    @Override
    public Set<String> secretPropertyNames() {
        return raw;
    }

    @Override
    public Map<String, String> multiValuePrefixes() {
        return Map.of();
    }

    @Override
    public boolean isLenientProperties() {
        return false;
    }
}
