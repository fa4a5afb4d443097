package dev.octet.eval;

import java.util.Map;

/** What every evaluation returns: a text form for people ({@link #toString()}) and fields for JSON. */
public interface EvalReport {
    /** The report's fields, in a stable order, ready for a JSON writer. */
    Map<String, Object> json();
}
