package dev.octet.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.octet.ir.OctetException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code manifest.json} of a bundle: what wrote it, what it needs to run, and the SHA-256 of every other entry
 * (checked before anything of the bundle is used, the native library above all).
 *
 * @param format the bundle format's version ({@link #FORMAT})
 * @param octetVersion the Octet version that wrote it; a bundle loads only into the same version, since the
 *     lowering must regenerate exactly the code of the stored library
 * @param created when it was written (ISO-8601, UTC)
 * @param modelName the file name of the model it was compiled from (it tells the model's family: preprocessing,
 *     decoding), or null
 * @param backend the compiled model's backend (NATIVE, JVM or REFERENCE)
 * @param isaLevel the ISA level of the native library, or null where there is none
 * @param requiredCpuFeatures the CPU features that level needs (as /proc/cpuinfo spells them)
 * @param sourceKey SHA-256 of the library's generated C source and headers, or null
 * @param weights how packed weights come back: re-packed at load from the graph's constants
 * @param keptValues values the compile kept stored (they change what simplification folds)
 * @param entries SHA-256 (hex) of every other entry, by entry name
 */
public record BundleManifest(int format, String octetVersion, String created, String modelName, String backend, String isaLevel,
        List<String> requiredCpuFeatures, String sourceKey, String weights, List<String> keptValues,
        Map<String, String> entries) {
    /** The format this Octet writes and reads. */
    public static final int FORMAT = 1;
    /** The one way weights come back, stated in every manifest. */
    public static final String WEIGHTS_REPACKED = "re-packed at load from the constants of model.onnx";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BundleManifest {
        requiredCpuFeatures = requiredCpuFeatures == null ? List.of() : List.copyOf(requiredCpuFeatures);
        keptValues = keptValues == null ? List.of() : List.copyOf(keptValues);
        entries = entries == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("manifest is not serializable", e);
        }
    }

    static BundleManifest fromJson(byte[] json, String bundle) {
        try {
            BundleManifest m = JSON.readValue(json, BundleManifest.class);
            if (m.octetVersion() == null || m.entries().isEmpty()) {
                throw new OctetException(bundle + ": the bundle's manifest.json lacks its version or entries");
            }
            return m;
        } catch (IOException e) {
            throw new OctetException(bundle + ": the bundle's manifest.json is not valid (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")");
        }
    }
}
