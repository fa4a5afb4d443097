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
