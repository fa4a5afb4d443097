package dev.octet.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.octet.ir.OctetException;
import dev.octet.kernel.Config;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An append-only JSON-lines file of {@link TuningRecord}s (measurements) and {@link ConfirmationRecord}s (lines with
 * {@code "kind":"confirmation"}), one object per line, each written whole and flushed before the next candidate
 * runs. A process killed mid-write leaves at most a torn last line: readers skip it with a
 * warning, and opening the log to append cuts it off first, so a torn line is never followed by another record. Any
 * other line that does not parse makes the log corrupt (an error naming the file and line).
 */
public final class TuningLog implements Closeable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final OutputStream out;

    private TuningLog(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Opens a log to append to (created if missing), cutting off a torn last line left by a killed session. */
    public static TuningLog append(Path file, Consumer<String> warnings) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                int end = bytes.length;
                while (end > 0 && bytes[end - 1] != '\n') {
                    end--;
                }
                if (end < bytes.length) {
                    warnings.accept(file + ": removed a torn last line (" + (bytes.length - end)
                            + " bytes) left by an interrupted session");
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(end);
                    }
                }
            }
            return new TuningLog(file, Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new OctetException("cannot open the tuning log " + file + ": " + e.getMessage());
        }
    }

    /** What a log holds: its measurements and its confirmations, each in log order. */
    public record Contents(List<TuningRecord> records, List<ConfirmationRecord> confirmations) {
    }

    /** Appends one record as one line and flushes it to the operating system. */
    public void write(TuningRecord r) {
        writeLine(toJson(r));
    }

    /** Appends one confirmation as one line and flushes it to the operating system. */
    public void write(ConfirmationRecord c) {
        writeLine(ConfirmationJson.toJson(c));
    }

    private synchronized void writeLine(ObjectNode o) {
        try {
            out.write((JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new OctetException("cannot write the tuning log " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new OctetException("cannot close the tuning log " + file + ": " + e.getMessage());
        }
    }

    /**
     * Every measurement record of a log, in order (its confirmations are read and left out: see {@link #load}). A
     * last line without its newline that does not parse is a torn write: it is
     * skipped with a warning.
     *
     * @throws OctetException if the file cannot be read or another line is not a record
     */
    public static List<TuningRecord> read(Path file, Consumer<String> warnings) {
        return load(file, warnings).records();
    }

    /** {@link #read}, confirmations included. */
    public static Contents load(Path file, Consumer<String> warnings) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OctetException("cannot read the tuning log " + file + ": " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw new OctetException("the tuning log " + file + " is not UTF-8 text");
        }
        return parseAll(text, file.toString(), warnings);
    }

    /**
     * {@link #read} of a log's text (e.g. the copy a bundle stores), {@code source} naming it in messages.
     *
     * @throws OctetException if a line other than a torn last one is not a record
     */
    public static List<TuningRecord> parse(String text, String source, Consumer<String> warnings) {
        return parseAll(text, source, warnings).records();
    }

    /** {@link #parse}, confirmations included. */
    public static Contents parseAll(String text, String source, Consumer<String> warnings) {
        List<TuningRecord> records = new ArrayList<>();
        List<ConfirmationRecord> confirmations = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean last = i == lines.length - 1; // no newline after it: possibly cut short
            try {
                JsonNode o = JSON.readTree(line);
                if (o.has("kind")) {
                    confirmations.add(ConfirmationJson.fromJson(o));
                } else {
                    records.add(fromJson(o));
                }
            } catch (IOException | RuntimeException e) {
                if (last) {
                    warnings.accept(source + ": skipped a torn last line (" + line.length() + " bytes)");
                } else {
                    throw new OctetException("the tuning log " + source + " is corrupt at line " + (i + 1) + ": "
                            + e.getMessage().lines().findFirst().orElse("not a tuning record"));
                }
            }
        }
        return new Contents(records, confirmations);
    }

    static ObjectNode toJson(TuningRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("workload", r.workload());
        o.put("target", r.target());
        o.set("config", configJson(r.config()));
        o.put("origin", r.origin());
        o.put("timing", r.timing().key());
        ArrayNode costs = o.putArray("costs");
        if (r.usable()) {
            costs.add(r.minSeconds()).add(r.medianSeconds());
        }
        o.put("error", r.error().name());
        if (r.message() != null) {
            o.put("error_msg", r.message());
        }
        o.put("all_cost", r.allCostSeconds());
        putStamp(o, r.timestamp(), r.octetVersion(), r.ccVersion());
        return o;
    }

    /** The fields every kind of log line ends with: when it was written, and by which Octet and C compiler. */
    static void putStamp(ObjectNode o, double timestamp, String octetVersion, String ccVersion) {
        o.put("timestamp", timestamp);
        ObjectNode version = o.putObject("version");
        version.put("octet", octetVersion);
        version.put("cc", ccVersion);
    }

    /** A configuration as {"template": ..., "entities": [[knob, value], ...]}, knobs sorted. */
    static ObjectNode configJson(Config c) {
        ObjectNode config = JSON.createObjectNode();
        config.put("template", c.template());
        ArrayNode entities = config.putArray("entities");
        c.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> entities.addArray().add(e.getKey()).add(e.getValue()));
        return config;
    }

    static Config config(JsonNode config) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = required(config, "entities").elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).canConvertToInt()) {
                throw new IllegalArgumentException("a knob entity is not [name, integer]");
            }
            values.put(e.get(0).asText(), e.get(1).asInt());
        }
        return new Config(text(config, "template"), values);
    }

    static TuningRecord fromJson(JsonNode o) {
        Config config = config(required(o, "config"));
        ErrorCode error = ErrorCode.valueOf(required(o, "error").asText());
        JsonNode costs = required(o, "costs");
        boolean timed = costs.isArray() && costs.size() == 2;
        if (error == ErrorCode.NO_ERROR && !timed) {
            throw new IllegalArgumentException("a record without error has no [min, median] costs");
        }
        JsonNode version = o.path("version");
        return new TuningRecord(text(o, "workload"), text(o, "target"), config, o.path("origin").asText("template"),
                timed ? costs.get(0).asDouble() : Double.NaN, timed ? costs.get(1).asDouble() : Double.NaN, error,
                o.hasNonNull("error_msg") ? o.get("error_msg").asText() : null, o.path("all_cost").asDouble(),
                o.path("timestamp").asDouble(), version.path("octet").asText(""), version.path("cc").asText(""),
                Timing.parse(o.hasNonNull("timing") ? text(o, "timing") : null));
    }

    static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return v;
    }

    static String text(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" is not text");
        }
        return v.asText();
    }
}
