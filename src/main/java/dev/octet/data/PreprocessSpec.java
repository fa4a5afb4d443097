package dev.octet.data;

import dev.octet.ir.OctetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Preprocessing written on a command line ({@code --preprocess}): comma-separated {@code key=value} settings that
 * override a base (the model family's default, {@link ModelFamily#preprocessing}). A list value continues over the
 * following commas until the next key:
 *
 * <pre>size=48x320,scale=0.003921569,mean=0.5,0.5,0.5,std=0.5,0.5,0.5,order=bgr,layout=nchw</pre>
 *
 * <p>Keys: {@code size=HxW}, {@code resize=stretch|pad|grow|limit32} (see {@link Preprocessing.Resize}: PaddleOCR's
 * padded and growing text lines, its detector's multiples of 32), {@code scale} (multiplies the 0..255 pixel),
 * {@code mean} and {@code std} (3 values each, in the tensor's channel order), {@code order=rgb|bgr|rgba},
 * {@code layout=nchw|nhwc}, {@code alpha} (the fourth channel's value for rgba).
 */
public final class PreprocessSpec {
    private static final List<String> KEYS = List.of("size", "resize", "scale", "mean", "std", "order", "layout",
            "alpha");

    private PreprocessSpec() {
    }

    /**
     * The base with the settings of {@code spec} applied (an empty spec gives the base).
     *
     * @throws OctetException naming the setting that is unknown or malformed
     */
    public static Preprocessing apply(String spec, Preprocessing base) {
        Map<String, List<String>> settings = settings(spec);
        Preprocessing p = base;
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            String key = e.getKey();
            List<String> v = e.getValue();
            p = switch (key) {
                case "size" -> size(single(key, v), p);
                case "resize" -> p.withResize(resize(single(key, v)));
                case "scale" -> new Preprocessing(p.height(), p.width(), p.resize(), p.channels(),
                        number(key, single(key, v)), p.mean(), p.std(), p.nhwc(), p.alpha());
                case "mean" -> new Preprocessing(p.height(), p.width(), p.resize(), p.channels(), p.scale(),
                        triple(key, v), p.std(), p.nhwc(), p.alpha());
                case "std" -> new Preprocessing(p.height(), p.width(), p.resize(), p.channels(), p.scale(),
                        p.mean(), positive(key, triple(key, v)), p.nhwc(), p.alpha());
                case "order" -> new Preprocessing(p.height(), p.width(), p.resize(), channels(single(key, v)),
                        p.scale(), p.mean(), p.std(), p.nhwc(), p.alpha());
                case "layout" -> new Preprocessing(p.height(), p.width(), p.resize(), p.channels(), p.scale(),
                        p.mean(), p.std(), nhwc(single(key, v)), p.alpha());
                case "alpha" -> new Preprocessing(p.height(), p.width(), p.resize(), p.channels(), p.scale(),
                        p.mean(), p.std(), p.nhwc(), number(key, single(key, v)));
                default -> throw new IllegalStateException(key);
            };
        }
        return p;
    }

    /** The settings by key, in the order given; a token without '=' extends the previous key's list. */
    private static Map<String, List<String>> settings(String spec) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        List<String> current = null;
        for (String token : spec.strip().isEmpty() ? new String[0] : spec.split(",")) {
            token = token.strip();
            int eq = token.indexOf('=');
            if (eq < 0) {
                if (current == null) {
                    throw bad("'" + token + "' is not key=value");
                }
                current.add(token);
                continue;
            }
            String key = token.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw bad("unknown setting '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (settings.containsKey(key)) {
                throw bad("'" + key + "' is given twice");
            }
            current = new ArrayList<>(List.of(token.substring(eq + 1).strip()));
            settings.put(key, current);
        }
        return settings;
    }

    private static Preprocessing size(String v, Preprocessing p) {
        String[] hw = v.toLowerCase(Locale.ROOT).split("x");
        try {
            if (hw.length == 2) {
                int h = Integer.parseInt(hw[0].strip());
                int w = Integer.parseInt(hw[1].strip());
                if (h > 0 && w > 0) {
                    return p.withSize(h, w);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("size '" + v + "' is not HEIGHTxWIDTH (e.g. 48x320)");
    }

    private static Preprocessing.Resize resize(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "stretch" -> Preprocessing.Resize.STRETCH;
            case "pad" -> Preprocessing.Resize.KEEP_ASPECT_PAD;
            case "grow" -> Preprocessing.Resize.KEEP_ASPECT_GROW;
            case "limit32" -> Preprocessing.Resize.LIMIT_MULTIPLE_OF_32;
            default -> throw bad("resize '" + v + "' is none of stretch, pad, grow, limit32");
        };
    }

    private static Preprocessing.Channels channels(String v) {
        try {
            return Preprocessing.Channels.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("order '" + v + "' is none of rgb, bgr, rgba");
        }
    }

    private static boolean nhwc(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "nhwc" -> true;
            case "nchw" -> false;
            default -> throw bad("layout '" + v + "' is neither nchw nor nhwc");
        };
    }

    private static String single(String key, List<String> v) {
        if (v.size() != 1) {
            throw bad("'" + key + "' takes one value, not " + String.join(",", v));
        }
        return v.getFirst();
    }

    private static double[] triple(String key, List<String> v) {
        if (v.size() != 3) {
            throw bad("'" + key + "' takes 3 values (one per colour channel), not " + String.join(",", v));
        }
        return v.stream().mapToDouble(x -> number(key, x)).toArray();
    }

    private static double[] positive(String key, double[] v) {
        for (double x : v) {
            if (!(x > 0)) {
                throw bad("'" + key + "' values must be positive, not " + x);
            }
        }
        return v;
    }

    private static double number(String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("'" + key + "' value '" + v + "' is not a number");
    }

    private static OctetException bad(String what) {
        return new OctetException("--preprocess: " + what);
    }
}
