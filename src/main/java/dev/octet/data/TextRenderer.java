package dev.octet.data;

import dev.octet.ir.OctetException;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders text as dark glyphs on a white background, the input that text models (PP-OCR) read. The font is a
 * TrueType file loaded directly (no fontconfig lookup): {@code -Doctet.font} or {@code $OCTET_FONT} where set, else
 * the first of the usual sans fonts installed (DejaVu Sans comes with fontconfig on Debian and Ubuntu), else any
 * TrueType file under the system font folders.
 */
public final class TextRenderer {
    /** Preferred fonts, by the file names distributions install them under. */
    private static final List<String> PREFERRED = List.of("DejaVuSans.ttf", "LiberationSans-Regular.ttf",
            "NotoSans-Regular.ttf", "FreeSans.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc");
    private static final List<Path> FONT_DIRS = List.of(Path.of("/usr/share/fonts"),
            Path.of("/usr/local/share/fonts"), Path.of(System.getProperty("user.home"), ".fonts"),
            Path.of(System.getProperty("user.home"), ".local/share/fonts"), Path.of("/System/Library/Fonts"),
            Path.of("/Library/Fonts"), Path.of("C:/Windows/Fonts"));

    private static Path fontFile;
    private static Font baseFont;

    private final Font font;

    private TextRenderer(Font font) {
        this.font = font;
    }

    /** A renderer with the default font (see the class comment). */
    public static TextRenderer withDefaultFont() {
        return new TextRenderer(defaultFont());
    }

    /** A renderer drawing with the given font (its size is set per line). */
    public static TextRenderer of(Font font) {
        return new TextRenderer(font);
    }

    /** The font file in use. */
    public static synchronized Path fontFile() {
        defaultFont();
        return fontFile;
    }

    /** The font's family name, for messages. */
    public String fontName() {
        return font.getFontName();
    }

    /**
     * One line of text, {@code height} pixels high, as wide as the text needs plus a margin of an eighth of the
     * height on each side. The glyphs fill about 70% of the height, as in a cropped text line.
     */
    public BufferedImage line(String text, int height) {
        return page(List.of(text), height);
    }

    /** Several lines, each {@code lineHeight} pixels high, left-aligned, as wide as the longest needs. */
    public BufferedImage page(List<String> lines, int lineHeight) {
        if (lineHeight < 8) {
            throw new IllegalArgumentException("line height " + lineHeight + " is too small to render text");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no lines to render");
        }
        Font f = font.deriveFont(Font.PLAIN, lineHeight * 0.7f);
        int margin = lineHeight / 8;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(f);
        int textWidth = 1;
        for (String s : lines) {
            textWidth = Math.max(textWidth, fm.stringWidth(s));
        }
        pg.dispose();
        BufferedImage img = new BufferedImage(textWidth + 2 * margin, lineHeight * lines.size(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(new Color(20, 20, 20));
        g.setFont(f);
        FontMetrics m = g.getFontMetrics();
        for (int i = 0; i < lines.size(); i++) {
            // Centre the glyph box (ascent + descent) vertically in its line.
            int baseline = i * lineHeight + (lineHeight - (m.getAscent() + m.getDescent())) / 2 + m.getAscent();
            g.drawString(lines.get(i), margin, baseline);
        }
        g.dispose();
        return img;
    }

    private static synchronized Font defaultFont() {
        if (baseFont == null) {
            Path file = findFontFile();
            try {
                baseFont = Font.createFont(Font.TRUETYPE_FONT, file.toFile());
                fontFile = file;
            } catch (FontFormatException | IOException e) {
                throw new OctetException(file + ": cannot load the font (" + e.getMessage() + ")");
            }
        }
        return baseFont;
    }

    private static Path findFontFile() {
        String configured = System.getProperty("octet.font", System.getenv("OCTET_FONT"));
        if (configured != null && !configured.isEmpty()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new OctetException("the font " + p + " (from -Doctet.font or OCTET_FONT) does not exist");
            }
            return p;
        }
        List<Path> candidates = new ArrayList<>();
        for (Path dir : FONT_DIRS) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir, 6)) {
                s.filter(Files::isRegularFile).filter(p -> p.toString().toLowerCase().endsWith(".ttf"))
                        .forEach(candidates::add);
            } catch (IOException | UncheckedIOException e) {
                // An unreadable font folder is skipped: another one may hold a font.
            }
        }
        for (String name : PREFERRED) {
            for (Path p : candidates.stream().sorted().toList()) {
                if (p.getFileName().toString().equals(name)) {
                    return p;
                }
            }
        }
        return candidates.stream().sorted().findFirst().orElseThrow(() -> new OctetException(
                "no TrueType font found under " + FONT_DIRS + "; install one (Debian/Ubuntu: apt-get install "
                        + "fonts-dejavu-core) or point -Doctet.font / OCTET_FONT to a .ttf file"));
    }
}
