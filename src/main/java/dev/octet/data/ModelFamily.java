package dev.octet.data;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Model;
import dev.octet.ir.TensorType;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of model whose input conventions Octet knows, recognised by file name (as the projects that ship them
 * name them) or, for other image models, by the input's shape.
 */
public enum ModelFamily {
    PPOCR_DET("PP-OCR text detection"),
    PPOCR_REC("PP-OCR text recognition"),
    PPOCR_CLS("PP-OCR text orientation"),
    BLAZEFACE("BlazeFace face detection"),
    MLSD("M-LSD line segments"),
    /** A rank-4 float input with 1, 3 or 4 channels: some image model; its preprocessing is a guess. */
    IMAGE("image model"),
    /** Not recognisably an image model: only tensor files and random inputs apply. */
    OTHER("model");

    /** Octet's default bound on a PP-OCR detection input's longer side (PaddleOCR uses 960; this keeps the
     * reference interpreter quick). */
    public static final int DET_LIMIT = 640;

    private final String description;

    ModelFamily(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The family of a model, from its file name, then its metadata and input shape. */
    public static ModelFamily of(Model model) {
        String name = model.source() == null ? model.graph().name() : String.valueOf(model.source().getFileName());
        name = name.toLowerCase(Locale.ROOT);
        boolean ppocr = name.contains("ppocr") || name.contains("pp-ocr") || name.contains("paddle");
        if (ppocr && name.contains("det")) {
            return PPOCR_DET;
        }
        if (ppocr && name.contains("rec") || model.metadata().containsKey("character")) {
            return PPOCR_REC;
        }
        if (ppocr && name.contains("cls")) {
            return PPOCR_CLS;
        }
        if (name.contains("blazeface") || name.contains("face_detection")) {
            return BLAZEFACE;
        }
        if (name.contains("mlsd")) {
            return MLSD;
        }
        List<dev.octet.ir.Value> inputs = model.graph().inputs();
        if (inputs.size() == 1 && channelAxis(inputs.getFirst().type()) >= 0) {
            return IMAGE;
        }
        return OTHER;
    }

    /** Whether images can be fed to this family's models. */
    public boolean takesImages() {
        return this != OTHER;
    }

    /**
     * The preprocessing for an input of this family, with the input's static height and width where it has them,
     * else the family's default size.
     */
    public Preprocessing preprocessing(TensorType input) {
        int axis = channelAxis(input);
        boolean nhwc = axis == 3;
        int hAxis = nhwc ? 1 : 2;
        int h = known(input, hAxis);
        int w = known(input, hAxis + 1);
        Preprocessing p = switch (this) {
            case PPOCR_DET -> Preprocessing.ppocrDet(DET_LIMIT);
            case PPOCR_REC -> Preprocessing.ppocrRec();
            case PPOCR_CLS -> Preprocessing.ppocrCls();
            case BLAZEFACE -> Preprocessing.blazeface(h > 0 ? h : 128);
            case MLSD -> Preprocessing.mlsd(h > 0 ? h : 320);
            case IMAGE, OTHER -> Preprocessing.generic(h > 0 ? h : 224, w > 0 ? w : 224, nhwc,
                    axis >= 0 ? known(input, axis) : 3);
        };
        if (h > 0 && w > 0) {
            p = fixedSize(p, h, w);
        }
        return p;
    }

    /**
     * The preprocessing at exactly h x w: text lines are still scaled with their aspect ratio and padded (but no
     * longer widen the tensor), everything else is stretched.
     */
    public static Preprocessing fixedSize(Preprocessing p, int h, int w) {
        boolean keepAspect = p.resize() == Preprocessing.Resize.KEEP_ASPECT_PAD
                || p.resize() == Preprocessing.Resize.KEEP_ASPECT_GROW;
        return p.withSize(h, w).withResize(keepAspect ? Preprocessing.Resize.KEEP_ASPECT_PAD
                : Preprocessing.Resize.STRETCH);
    }

    /**
     * The height and width a random or rendered input gets where the model leaves them open: {height, width}.
     * Detection gets a modest square; text lines their PaddleOCR shapes.
     */
    public int[] defaultSize() {
        return switch (this) {
            case PPOCR_DET -> new int[] {320, 320};
            case PPOCR_REC -> new int[] {48, 320};
            case PPOCR_CLS -> new int[] {48, 192};
            case BLAZEFACE -> new int[] {128, 128};
            case MLSD -> new int[] {320, 320};
            case IMAGE, OTHER -> new int[] {224, 224};
        };
    }

    /** 1 for NCHW, 3 for NHWC, -1 where the input does not look like a float image batch. */
    public static int channelAxis(TensorType t) {
        if (t.rank() != 4 || !t.dtype().isFloat() || t.dtype() == DataType.BFLOAT16) {
            return -1;
        }
        if (isChannelCount(t.dims().get(1))) {
            return 1;
        }
        return isChannelCount(t.dims().get(3)) ? 3 : -1;
    }

    private static boolean isChannelCount(Dim d) {
        return d.isKnown() && (d.value() == 1 || d.value() == 3 || d.value() == 4);
    }

    private static int known(TensorType t, int axis) {
        return axis >= 0 && axis < t.rank() && t.dims().get(axis).isKnown() ? (int) t.dims().get(axis).value() : -1;
    }
}
