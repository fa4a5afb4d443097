package dev.octet.ir;

/**
 * Names from a model file as error messages quote them. A name can be anything a file holds (a corrupt file can
 * turn a megabyte of weights into a "name"), so long ones are shortened to their beginning and end.
 */
public final class Names {
    static final int MAX = 96;

    private Names() {
    }

    /** The name in single quotes, shortened to about {@value #MAX} characters. */
    public static String quote(String name) {
        return "'" + shorten(name) + "'";
    }

    /**
     * The text with line breaks and control characters escaped (a newline becomes \n), safe to print on one
     * terminal line: a name from a file cannot start a new line or send escape sequences to the terminal.
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A name as printed for the user outside of errors: shortened and escaped. */
    public static String printable(String name) {
        return escape(shorten(name));
    }

    public static String shorten(String name) {
        if (name == null) {
            return "";
        }
        if (name.length() <= MAX) {
            return name;
        }
        return name.substring(0, MAX - 24) + "..." + name.substring(name.length() - 20) + " (" + name.length()
                + " characters)";
    }
}
