package dev.octet.ir;

/**
 * An error the user can act on: a bad model file, an unsupported operator, a wrong input shape. Its message is one
 * line that names the problem (file, node, operator, attribute, shape) and is printed without a stack trace.
 * Anything else that escapes is a bug in Octet.
 */
public class OctetException extends RuntimeException {
    public OctetException(String message) {
        super(message);
    }

    public OctetException(String message, Throwable cause) {
        super(message, cause);
    }
}
