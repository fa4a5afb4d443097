package dev.octet.ir;

/**
 * An error the user can act on: a bad model file, an unsupported operator, a wrong input shape. Its message is one
 * line that names the problem (file, node, operator, attribute, shape) and is printed without a stack trace.
 * Anything else that escapes is a bug in Octet.
 *
 * <p>Messages quote names taken from model files, which may hold anything; the constructor escapes line breaks
 * and control characters and shortens absurdly long messages, so that the message stays one readable line.
 */
public class OctetException extends RuntimeException {
    /** Longer messages keep their beginning and end (file, node, what was expected) and lose the middle. */
    static final int MAX_LENGTH = 2000;

    public OctetException(String message) {
        super(oneLine(message));
    }

    public OctetException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** The message with control characters escaped (a newline becomes \n) and its middle cut if too long. */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        String escaped = Names.escape(message);
        if (escaped.length() > MAX_LENGTH) {
            int tail = MAX_LENGTH / 3;
            int head = MAX_LENGTH - tail - 5;
            return escaped.substring(0, head) + " ... " + escaped.substring(escaped.length() - tail);
        }
        return escaped;
    }
}
