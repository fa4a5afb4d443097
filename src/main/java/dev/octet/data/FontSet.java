package dev.octet.data;

import dev.octet.ir.OctetException;
import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The fonts rendered datasets draw with: every TrueType/OpenType file (.ttf, .otf, .ttc collections) under the
 * system font folders and under {@code -Doctet.fonts} / {@code $OCTET_FONTS} (a folder, e.g. an unpacked
 * {@code fonts-noto-cjk} or {@code fonts-wqy-microhei} Debian package), in file-name order so that a dataset is the
 * same on machines with the same fonts. Fonts that can draw Chinese ("CJK" fonts) are kept apart: where there is
 * none, datasets fall back to Latin text only and say so ({@link #hasCjk()}).
 */
public final class FontSet {
    /** A character every CJK font of interest has ("middle"); a font without it cannot draw the dictionary. */
    private static final char CJK_PROBE = '\u4e2d';
    /** Bounds the work of loading fonts on machines with hundreds installed. */
    private static final int MAX_FILES = 64;

    private static FontSet installed;

    private final List<Font> latin;
    private final List<Font> cjk;

    private FontSet(List<Font> latin, List<Font> cjk) {
        this.latin = List.copyOf(latin);
        this.cjk = List.copyOf(cjk);
    }

    /** The fonts of this machine (found once, then cached). */
    public static synchronized FontSet installed() {
        if (installed == null) {
            installed = load(fontFiles());
        }
        return installed;
    }

    /** The fonts of the given files; unreadable files are skipped. */
    public static FontSet load(List<Path> files) {
        List<Font> latin = new ArrayList<>();
        List<Font> cjk = new ArrayList<>();
        for (Path file : files) {
            for (Font f : read(file)) {
                // Symbol and icon fonts draw no letters: they would make unreadable lines with correct labels.
                if (f.canDisplayUpTo("Aa09") != -1) {
                    continue;
                }
                (f.canDisplay(CJK_PROBE) ? cjk : latin).add(f);
            }
        }
        if (latin.isEmpty() && cjk.isEmpty()) {
            throw new OctetException("no usable TrueType font found (searched " + files.size() + " files); install "
                    + "one (Debian/Ubuntu: apt-get install fonts-dejavu-core fonts-noto-cjk) or point "
                    + "-Doctet.fonts / OCTET_FONTS to a folder of .ttf/.otf/.ttc files");
        }
        return new FontSet(latin, cjk);
    }

    /** The same fonts without the CJK ones: Latin text only. */
    public static FontSet latinOnly(FontSet fonts) {
        return new FontSet(fonts.latin(), List.of());
    }

    /** Fonts without Chinese glyphs (may be empty where only CJK fonts are installed: those draw Latin too). */
    public List<Font> latin() {
        return latin.isEmpty() ? cjk : latin;
    }

    /** Fonts that draw Chinese (and Latin); empty where none is installed. */
    public List<Font> cjk() {
        return cjk;
    }

    public boolean hasCjk() {
        return !cjk.isEmpty();
    }

    /** One line for reports: how many fonts of each kind, and their names. */
    public String describe() {
        return latin.size() + " Latin font(s) " + names(latin) + ", " + cjk.size() + " CJK font(s) " + names(cjk)
                + (cjk.isEmpty() ? " (no Chinese text: install fonts-noto-cjk or set OCTET_FONTS)" : "");
    }

    private static String names(List<Font> fonts) {
        return fonts.stream().map(Font::getFontName).limit(6).toList().toString();
    }

    private static List<Font> read(Path file) {
        try {
            return List.of(Font.createFonts(file.toFile()));
        } catch (FontFormatException | IOException e) {
            return List.of(); // not a font this JVM reads: another file may be
        }
    }

    private static List<Path> fontFiles() {
        List<Path> dirs = new ArrayList<>();
        String extra = System.getProperty("octet.fonts", System.getenv("OCTET_FONTS"));
        if (extra != null && !extra.isEmpty()) {
            Path p = Path.of(extra);
            if (!Files.isDirectory(p)) {
                throw new OctetException("the font folder " + p + " (from -Doctet.fonts or OCTET_FONTS) does not "
                        + "exist");
            }
            dirs.add(p);
        }
        dirs.addAll(List.of(Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts"),
                Path.of(System.getProperty("user.home"), ".fonts")));
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir, 6)) {
                s.filter(Files::isRegularFile).filter(FontSet::isFontFile).sorted(Comparator.comparing(
                        p -> p.getFileName().toString())).forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                // An unreadable folder is skipped: another one may hold fonts.
            }
        }
        // Mono, bold, oblique and light variants are all fair text; keep the list bounded and stable.
        return files.stream().distinct().limit(MAX_FILES).toList();
    }

    private static boolean isFontFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".ttf") || n.endsWith(".otf") || n.endsWith(".ttc");
    }
}
