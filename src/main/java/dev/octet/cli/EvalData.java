package dev.octet.cli;

import dev.octet.data.CtcDecoder;
import dev.octet.data.FontSet;
import dev.octet.data.ImageDegradation;
import dev.octet.data.Images;
import dev.octet.data.LabelledLine;
import dev.octet.data.LabelledPage;
import dev.octet.data.ModelFamily;
import dev.octet.data.PageStyle;
import dev.octet.data.Split;
import dev.octet.data.TextLineSet;
import dev.octet.data.TextPageSet;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The data of `octet eval`, from its options: rendered lines and pages of either split, and photos.
 *
 * @param dict a dictionary file given with --dict, or null
 * @param clean no degradation (--clean)
 * @param latin no Chinese text (--latin)
 * @param seed the datasets' seed
 * @param cluttered detection pages in {@link PageStyle#CLUTTERED} style (--cluttered)
 */
record EvalData(Path dict, boolean clean, boolean latin, long seed, boolean cluttered) {
    /** The recogniser's characters: --dict, else the model's own metadata, else the bundled ppocr_keys_v1.txt. */
    List<String> dictionary(Model m) {
        try {
            if (dict != null) {
                return CtcDecoder.dictionaryLines(Files.readString(dict));
            }
            if (m != null && m.metadata().containsKey("character")) {
                return CtcDecoder.dictionaryLines(m.metadata().get("character"));
            }
            try (BundledModels bundle = BundledModels.open()) {
                return CtcDecoder.dictionaryLines(Files.readString(bundle.model("ppocr_keys_v1.txt")));
            }
        } catch (IOException e) {
            throw new OctetException("cannot read the character dictionary (" + e.getMessage() + ")");
        }
    }

    FontSet fonts() {
        FontSet all = FontSet.installed();
        return latin ? FontSet.latinOnly(all) : all;
    }

    List<LabelledLine> lines(Model m, Split split, int n) {
        return collect(n, lineSet(m, split)::line);
    }

    List<LabelledLine> orientedLines(Model m, Split split, int n) {
        return collect(n, lineSet(m, split)::orientedLine);
    }

    List<LabelledPage> pages(Model m, Split split, int n) {
        TextPageSet set = new TextPageSet(dictionary(m), fonts(), seed, split, degradation(),
                cluttered ? PageStyle.CLUTTERED : PageStyle.PLAIN);
        return collect(n, set::page);
    }

    /** Sample {@code i} of a task's calibration split, as an image and its label. */
    record Labelled(BufferedImage image, String label) {
    }

    List<Labelled> calibration(EvalTask task, Model m, int n) {
        return switch (task) {
            case REC -> lines(m, Split.CALIBRATION, n).stream().map(l -> new Labelled(l.image(), l.text())).toList();
            case CLS -> orientedLines(m, Split.CALIBRATION, n).stream().map(l -> new Labelled(l.image(),
                    Integer.toString(l.rotation()))).toList();
            case DET -> pages(m, Split.CALIBRATION, n).stream().map(p -> new Labelled(p.image(),
                    p.boxes().toString())).toList();
            default -> throw new OctetException(task.label + " has no rendered data: calibrate it on photos");
        };
    }

    /** The photos of a folder (JPEG, PNG; at most {@code limit}, by name) as input tensors of the model. */
    static List<Tensor> photos(Path dir, Model m, int limit) {
        if (dir == null) {
            throw new OctetException("--images DIR is needed: the photos to compare the outputs on");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted()
                    .limit(limit).toList();
        } catch (IOException e) {
            throw new OctetException(dir + ": cannot list the photos (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new OctetException(dir + ": no JPEG or PNG photos");
        }
        var p = ModelFamily.of(m).preprocessing(m.graph().inputs().getFirst().type());
        return files.stream().map(f -> Images.toTensor(Images.load(f), p, 1)).toList();
    }

    private TextLineSet lineSet(Model m, Split split) {
        return new TextLineSet(dictionary(m), fonts(), seed, split, degradation());
    }

    private ImageDegradation degradation() {
        return clean ? ImageDegradation.NONE : ImageDegradation.MILD;
    }

    private static <T> List<T> collect(int n, IntFunction<T> sample) {
        return IntStream.range(0, n).mapToObj(sample).toList();
    }
}
