package dev.octet.tune;

import com.fasterxml.jackson.databind.JsonNode;
import dev.octet.ir.OctetException;
import dev.octet.kernel.Config;
import dev.octet.kernel.loop.LoopKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernels from outside Octet, measured and verified like the templates' own: a folder with C files and a
 * {@code manifest.json}:
 *
 * <pre>{@code
 * {"candidates": [{"file": "fast.c", "function": "my_conv", "workload": "conv2d_f32[c128>128,...]",
 *                  "template": "conv_gemm", "knobs": {"nc": 256, "kc": 256, "order": 0}}]}
 * }</pre>
 *
 * Each claims one task (its workload key) and the calling convention of one template configuration: the same
 * buffers (packed as that configuration packs them), scalars and parallel range as the template's kernel, in C:
 * {@code void my_conv(const float *in, const float *w, ..., float *out, int64_t H, ..., int64_t begin, int64_t end)}.
 * The file may include Octet's headers ({@code octet_runtime.h}, ...). Its record carries origin = the file and a
 * knob {@code external} = its index, so it is never mistaken for the template's configuration, and a build never
 * applies it (only template records are applied); it shows in the log whether it was fast, and whether it was right.
 */
public final class ExternalCandidates {
    private ExternalCandidates() {
    }

    /**
     * The candidates of a folder, by the workload key they claim; claims of workloads not among the tasks are
     * left out.
     *
     * @throws OctetException for a missing or malformed manifest, a missing file, or a claimed configuration no
     *     valid template of the task has
     */
    public static Map<String, List<Candidate>> load(Path dir, List<TuningTask> tasks) {
        Path manifest = dir.resolve("manifest.json");
        JsonNode root;
        try {
            root = TuningLog.JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new OctetException("cannot read the candidate manifest " + manifest + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, TuningTask> byKey = new HashMap<>();
        tasks.forEach(t -> byKey.put(t.key(), t));
        Map<String, List<Candidate>> out = new LinkedHashMap<>();
        JsonNode list = root.path("candidates");
        if (!list.isArray()) {
            throw new OctetException(manifest + ": expected {\"candidates\": [...]}");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String where = manifest + ", candidate " + i;
            String file = text(c, "file", where);
            String function = text(c, "function", where);
            if (!function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new OctetException(where + ": function '" + function + "' is not a C identifier");
            }
            TuningTask task = byKey.get(text(c, "workload", where));
            if (task == null) {
                continue;
            }
            Map<String, Integer> knobs = new LinkedHashMap<>();
            c.path("knobs").fields().forEachRemaining(e -> knobs.put(e.getKey(), e.getValue().asInt()));
            Config claimed = new Config(text(c, "template", where), knobs);
            if (task.problem().spaces().stream().noneMatch(s -> s.contains(claimed))) {
                throw new OctetException(where + ": " + claimed + " is not a configuration of a template valid for "
                        + task.key());
            }
            Path source = dir.resolve(file).normalize();
            if (!source.startsWith(dir.normalize())) {
                throw new OctetException(where + ": file '" + file + "' is outside " + dir);
            }
            String text;
            try {
                text = Files.readString(source);
            } catch (IOException e) {
                throw new OctetException(where + ": cannot read " + source + ": " + e.getMessage());
            }
            LoopKernel abi = task.problem().kernel(claimed, "abi");
            Map<String, Integer> tagged = new LinkedHashMap<>(knobs);
            tagged.put("external", i);
            out.computeIfAbsent(task.key(), k -> new java.util.ArrayList<>()).add(new Candidate(
                    new Config(claimed.template(), tagged), "#include \"octet_runtime.h\"\n" + text, function,
                    abi.buffers().size(), abi.scalars().size(), source.toString(), null));
        }
        return out;
    }

    private static String text(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new OctetException(where + ": missing text field \"" + field + "\"");
        }
        return v.asText();
    }
}
