package dev.octet.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.octet.ir.OctetException;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configurations a build chose, per workload key, stored in a bundle ({@code configs.json}) and replayed at
 * load: a tuned choice then needs neither the tuning log nor the target it was measured on. A stored configuration
 * the request does not admit (the JVM fallback builds baseline-level configurations) gives the defaults, as does a
 * workload without one; the regenerated source's hash tells whether the native code is still the stored one.
 */
final class RecordedConfigs implements ConfigChooser {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Config> configs;

    RecordedConfigs(Map<String, Config> configs) {
        this.configs = Map.copyOf(configs);
    }

    @Override
    public Config choose(Request request) {
        Config c = configs.get(request.key());
        return c != null && request.admits(c) ? c : request.defaults();
    }

    static byte[] toJson(Map<String, Config> configs) {
        try {
            return JSON.writeValueAsBytes(new LinkedHashMap<>(configs));
        } catch (IOException e) {
            throw new IllegalStateException("configs are not serializable", e);
        }
    }

    static RecordedConfigs fromJson(byte[] json, String bundle) {
        try {
            return new RecordedConfigs(JSON.readValue(json, new TypeReference<LinkedHashMap<String, Config>>() {
            }));
        } catch (IOException e) {
            throw new OctetException(bundle + ": the bundle's configs.json is not valid (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")");
        }
    }
}
