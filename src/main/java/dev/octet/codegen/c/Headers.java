package dev.octet.codegen.c;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The hand-written C headers Octet's generated code includes (micro-kernels, helpers), shipped as resources under
 * {@code /dev/octet/codegen/c/include/}. Their text is part of every library's cache key.
 */
public record Headers(List<String> names) {
    public static Headers standard() {
        return new Headers(List.of("octet_runtime.h", "octet_sgemm.h", "octet_qgemm.h", "octet_qamx.h", "octet_qdw.h",
                "octet_qelt.h", "octet_qdirect.h", "octet_qwino.h", "octet_swino.h", "octet_spool.h"));
    }

    private String read(String name) {
        try (InputStream in = Headers.class.getResourceAsStream("include/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing header resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All headers' text, for the cache key. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\n').append(read(n)).append('\0');
        }
        return sb.toString();
    }

    /** Writes the headers into a folder and returns it (for -I). */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            Files.writeString(dir.resolve(n), read(n));
        }
        return dir;
    }
}
