package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.ir.OctetException;
import java.util.Locale;

/** The {@code --backend} option's names: auto, native, jvm, ref. */
final class Backends {
    private Backends() {
    }

    static CompileOptions.Backend parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> CompileOptions.Backend.AUTO;
            case "native" -> CompileOptions.Backend.NATIVE;
            case "jvm" -> CompileOptions.Backend.JVM;
            case "ref", "reference" -> CompileOptions.Backend.REFERENCE;
            default -> throw new OctetException("--backend '" + name + "' is not one of auto, native, jvm, ref");
        };
    }
}
