package dev.octet.report;

import java.util.List;

/**
 * A self-contained HTML page built as a string: inline CSS, inline SVG, no script and no link, so that it shows
 * the same offline, from a file or an e-mail attachment.
 */
public final class HtmlPage {
    private static final String CSS = """
            body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}
            h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
            h3{font-size:15px;margin-top:20px}
            table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px}
            th{background:#f0f0f0;position:sticky;top:0}td.n{text-align:right;font-family:monospace;white-space:nowrap}
            td.why{min-width:260px}.scroll{overflow-x:auto;max-width:100%}summary{cursor:pointer}
            tr.float td{color:#777}tr.tuned td{background:#fff6dc}
            .nowrap{white-space:nowrap}td.tuning{min-width:150px;max-width:240px}
            .badge{background:#e8a317;color:#fff;border-radius:3px;padding:0 4px;font-size:11px;font-weight:bold}
            .bad{color:#b00;font-weight:bold}.meh{color:#c60}
            figure{display:inline-block;margin:6px 12px 6px 0;vertical-align:top}
            figcaption{font-size:12px;max-width:520px;overflow-wrap:anywhere}
            .muted{color:#777}""";

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
    }

    /** A heading whose id is its text in lower case with dashes (e.g. #float-layers-and-why), for links. */
    public HtmlPage heading(int level, String text) {
        String id = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        body.append("<h").append(level).append(" id=\"").append(id).append("\">").append(escape(text)).append("</h")
                .append(level).append(">\n");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlPage paragraph(String text) {
        return raw("<p>" + escape(text) + "</p>\n");
    }

    /** Markup the caller built (escaping what it took from data). */
    public HtmlPage raw(String html) {
        body.append(html);
        return this;
    }

    /** A bulleted list of plain-text items. */
    public HtmlPage list(List<String> items) {
        body.append("<ul>\n");
        items.forEach(i -> body.append("<li>").append(escape(i)).append("</li>\n"));
        body.append("</ul>\n");
        return this;
    }

    /** A figure: an SVG plot and its caption. */
    public HtmlPage figure(Svg plot, String caption) {
        return raw("<figure>" + plot + "<figcaption>" + escape(caption) + "</figcaption></figure>\n");
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>" + CSS + "</style></head>\n<body>\n" + body + "</body></html>\n";
    }

    /** Text made safe for HTML content and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
