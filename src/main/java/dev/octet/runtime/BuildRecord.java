package dev.octet.runtime;

import dev.octet.ir.Graph;
import dev.octet.kernel.Config;
import dev.octet.kernel.IsaLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a compiled model was built: what a bundle stores so that the same lowering can rebuild the same program on
 * another machine, with the stored native library in place of the C compiler.
 *
 * @param input the graph the compiler was given (before simplification, which is deterministic and runs again)
 * @param keptValues the values kept stored (they change what simplification folds)
 * @param backend the backend's name (NATIVE, JVM or REFERENCE)
 * @param level the ISA level of the native library, or null where there is none
 * @param sourceKey {@link #sourceKey} of the library's C source and headers, or null where there is no library
 * @param configs the configuration chosen per workload key (defaults or tuned records), in lowering order
 */
public record BuildRecord(Graph input, Set<String> keptValues, String backend, IsaLevel level, String sourceKey,
        Map<String, Config> configs) {
    public BuildRecord {
        keptValues = Set.copyOf(keptValues);
        configs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configs));
    }

    /**
     * The SHA-256 (hex) of a translation unit and its headers' fingerprint: equal keys mean the same code was
     * generated, so a library built from one serves the other.
     */
    public static String sourceKey(String source, String headersFingerprint) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(headersFingerprint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
