package dev.octet.tune;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.Int8ConvWorkload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of a replayed log's convolution workloads, rebuilt from their keys, so that the cost model can read
 * the loop nests of their configurations ({@code tune.model.LoopFeatures}) in a replay as it does when tuning. A
 * nest depends on the workload and configuration only; the geometry given (ResNet-50's plane for the channel count)
 * only has to fit. A key this cannot rebuild exactly (another operator, an epilogue other than bias and relu) has no
 * problem: its loop features are absent, as for a workload of another model in a real log.
 */
final class ReplayProblems {
    private static final Pattern CONV = Pattern.compile(
            "conv2d_(f32|u8s8u8|u8s8s8)\\[c(\\d+)>(\\d+),g(\\d+),k(\\d+)x(\\d+),s(\\d+)x(\\d+),d(\\d+)x(\\d+)(.*)]");
    private final Map<String, Problem> cache = new HashMap<>();

    /** The problem of a workload key, or null. */
    synchronized Problem of(String key) {
        return cache.computeIfAbsent(key, ReplayProblems::build);
    }

    private static Problem build(String key) {
        Matcher m = CONV.matcher(key);
        if (!m.matches()) {
            return null;
        }
        int[] n = new int[9];
        for (int i = 0; i < 9; i++) {
            n[i] = Integer.parseInt(m.group(i + 2));
        }
        List<String> flags = List.of(m.group(11).isEmpty() ? new String[0] : m.group(11).substring(1).split(","));
        int plane = switch (n[0]) {
            case 64 -> 56;
            case 128 -> 28;
            case 256 -> 14;
            default -> 7;
        } * n[6];
        ConvGeometry g = new ConvGeometry(1, plane, plane, n[4] / 2, n[5] / 2, n[4] / 2, n[5] / 2);
        try {
            Problem p;
            if (m.group(1).equals("f32")) {
                List<EpilogueStep> steps = new ArrayList<>();
                for (String f : flags) {
                    for (String s : f.split("\\+")) {
                        switch (s) {
                            case "bias" -> steps.add(EpilogueStep.BIAS);
                            case "relu" -> steps.add(EpilogueStep.RELU);
                            case "pw", "none" -> { }
                            default -> {
                                return null;
                            }
                        }
                    }
                }
                p = new ConvProblem(new ConvWorkload(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8],
                        flags.contains("pw"), new Epilogue(steps)), g);
            } else {
                p = new Int8ConvProblem(new Int8ConvWorkload(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8],
                        flags.contains("pw"), m.group(1).equals("u8s8s8"), flags.contains("pairs128"),
                        flags.contains("res")), g);
            }
            return p.key().equals(key) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
