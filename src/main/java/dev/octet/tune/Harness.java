package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.OctetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The measurement worker program ({@code octet_tune_harness.c}, shipped as a resource), compiled once per compiler
 * and flags and kept in the tuning cache: each candidate runs in a fresh process of it.
 */
final class Harness {
    private Harness() {
    }

    static String source() {
        try (InputStream in = Harness.class.getResourceAsStream("octet_tune_harness.c")) {
            if (in == null) {
                throw new IllegalStateException("missing resource octet_tune_harness.c");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The harness executable in dir, compiled there first where it is missing. */
    static synchronized Path build(CCompiler cc, Path dir) {
        String source = source();
        Path exe = dir.resolve("octet-tune-harness-" + Sha.of(source, cc.version(), String.join(" ", CCompiler.FLAGS)));
        if (Files.isExecutable(exe)) {
            return exe;
        }
        try {
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory(dir, "harness-");
            Path src = work.resolve("octet_tune_harness.c");
            Files.writeString(src, source);
            Path out = work.resolve("harness");
            cc.compileProgram(src, out);
            Files.move(out, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(src);
            Files.deleteIfExists(work);
            return exe;
        } catch (IOException e) {
            throw new OctetException("cannot build the tuning harness in " + dir + ": " + e.getMessage());
        }
    }
}
