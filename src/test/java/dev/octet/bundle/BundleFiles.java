package dev.octet.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Rewrites a bundle entry by entry, as a tamperer would: the manifest stays as it was unless changed too. */
final class BundleFiles {
    private BundleFiles() {
    }

    static void rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> change) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream o = Files.newOutputStream(to);
                ZipOutputStream out = new ZipOutputStream(o)) {
            Enumeration<? extends ZipEntry> all = in.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(change.apply(e.getName(), bytes));
                out.closeEntry();
            }
        }
    }
}
