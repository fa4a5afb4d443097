package dev.octet.codegen.c;

import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system C compiler ({@code $CC}, else {@code cc} on PATH), run with an argument list (never a shell). Flags
 * follow DESIGN.md: -O3 at a named ISA level, no fused multiply-add contraction in exact paths, wrapping signed
 * arithmetic, and never -Ofast/-ffast-math (they would switch the JVM's process to flush-to-zero).
 */
public final class CCompiler {
    /** The flags of every level; {@link #flags} adds the level's own (a library runs on any CPU of its level). */
    public static final List<String> FLAGS = List.of("-O3", "-ffp-contract=off", "-fwrapv",
            "-fno-strict-aliasing", "-fPIC", "-shared", "-std=c11", "-Wall", "-Wno-unused-function",
            "-Wno-unused-variable");
    /** A system property naming the C compiler (a path, or a name looked up on PATH); it overrides {@code $CC}. */
    public static final String PROPERTY = "octet.cc";
    private static final long TIMEOUT_SECONDS = 300;

    private final String executable;
    private final String version;

    private CCompiler(String executable, String version) {
        this.executable = executable;
        this.version = version;
    }

    /**
     * The C compiler on this machine ({@code -Doctet.cc}, else {@code $CC}, else {@code cc} on PATH), or null where
     * there is none (the JVM backend is used then). Naming a file that does not exist hides the compiler.
     */
    public static CCompiler find() {
        String cc = System.getProperty(PROPERTY, "");
        if (cc.isEmpty()) {
            cc = System.getenv().getOrDefault("CC", "cc");
        }
        Path exe = onPath(cc);
        if (exe == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new CCompiler(exe.toString(), out.lines().findFirst().orElse("unknown"));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Where {@link #find} looks, for messages: "$CC, then cc on PATH" or "-Doctet.cc=...". */
    public static String searched() {
        String cc = System.getProperty(PROPERTY, "");
        return cc.isEmpty() ? "$CC, then cc on PATH" : "-D" + PROPERTY + "=" + cc;
    }

    private static Path onPath(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** The first line of {@code cc --version}: part of every library's cache key. */
    public String version() {
        return version;
    }

    /** All flags for code of one ISA level. */
    public static List<String> flags(IsaLevel level) {
        List<String> all = new ArrayList<>(FLAGS);
        all.addAll(1, level.compilerFlags());
        return List.copyOf(all);
    }

    /** {@link #compile(Path, Path, Path, IsaLevel)} at {@link IsaLevel#defaultLevel}. */
    public void compile(Path source, Path includeDir, Path library) {
        compile(source, includeDir, library, IsaLevel.defaultLevel());
    }

    /**
     * Compiles one C source file into a shared library for one ISA level.
     *
     * @param includeDir a folder with the headers the source includes (Octet's micro-kernels), or null
     * @throws OctetException with the compiler's first error lines where compilation fails
     */
    public void compile(Path source, Path includeDir, Path library, IsaLevel level) {
        compile(source, includeDir, library, level, TIMEOUT_SECONDS);
    }

    /**
     * {@link #compile(Path, Path, Path, IsaLevel)} with a time limit (the tuner's per-candidate build timeout).
     *
     * @throws Timeout where the compiler did not finish in time (it is killed)
     */
    public void compile(Path source, Path includeDir, Path library, IsaLevel level, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(flags(level));
        if (includeDir != null) {
            cmd.add("-I" + includeDir);
        }
        cmd.addAll(List.of("-o", library.toString(), source.toString(), "-lm"));
        run(cmd, source, timeoutSeconds);
    }

    /**
     * Compiles one C source file into an object file (a piece of a library that {@link #link} joins), with the
     * level's code-generation flags.
     *
     * @throws OctetException with the compiler's first error lines where compilation fails
     */
    void compileObject(Path source, Path includeDir, Path object, IsaLevel level) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(flags(level).stream().filter(f -> !f.equals("-shared")).toList());
        cmd.add("-c");
        if (includeDir != null) {
            cmd.add("-I" + includeDir);
        }
        cmd.addAll(List.of("-o", object.toString(), source.toString()));
        run(cmd, source, TIMEOUT_SECONDS);
    }

    /**
     * Precompiles a header for {@link #compileObject} at one level (a {@code .gch} beside the header, which gcc
     * then reads instead of parsing the header again for every object).
     */
    void precompileHeader(Path header, Path pch, IsaLevel level) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(flags(level).stream().filter(f -> !f.equals("-shared")).toList());
        cmd.addAll(List.of("-x", "c-header", "-o", pch.toString(), header.toString()));
        run(cmd, header, TIMEOUT_SECONDS);
    }

    /** Links object files of one ISA level (from {@link #compileObject}) into a shared library. */
    public void link(List<Path> objects, Path library, IsaLevel level) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(flags(level));
        cmd.addAll(List.of("-o", library.toString()));
        objects.forEach(o -> cmd.add(o.toString()));
        cmd.add("-lm");
        run(cmd, library, TIMEOUT_SECONDS);
    }

    /** Compiles a stand-alone C program (Octet's tuning harness) with the same code-generation flags. */
    public void compileProgram(Path source, Path program) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(FLAGS.stream().filter(f -> !f.equals("-shared") && !f.equals("-fPIC")).toList());
        cmd.addAll(List.of("-o", program.toString(), source.toString(), "-ldl"));
        run(cmd, source, TIMEOUT_SECONDS);
    }

    private void run(List<String> cmd, Path source, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // Read the output on the side: a compiler that hangs must not block this thread past the time limit.
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new Timeout("the C compiler did not finish in " + timeoutSeconds + " s on " + source);
            }
            if (p.exitValue() != 0) {
                String first = new String(out.join(), StandardCharsets.UTF_8).lines().filter(l -> l.contains("error"))
                        .limit(5).reduce((a, b) -> a + " | " + b).orElse("exit code " + p.exitValue());
                throw new OctetException("the C compiler failed on " + source + ": " + first);
            }
        } catch (IOException e) {
            throw new OctetException("cannot run the C compiler " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OctetException("interrupted while compiling " + source);
        }
    }

    /** The compiler ran past its time limit and was killed. */
    public static final class Timeout extends OctetException {
        Timeout(String message) {
            super(message);
        }
    }
}
