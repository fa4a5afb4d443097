package dev.octet.ir.op.nn;

import dev.octet.ir.Attributes;
import dev.octet.ir.op.OpContext;

/**
 * How Resize and Upsample compute each output element: the interpolation mode, the coordinate transformation
 * (output index → input coordinate), the rounding of nearest, and the cubic and extrapolation parameters.
 */
record ResizeSettings(Mode mode, Transform transform, Rounding rounding, double cubicA, boolean excludeOutside,
        double extrapolationValue) {

    enum Mode { NEAREST, LINEAR, CUBIC }

    /** coordinate_transformation_mode. */
    enum Transform { HALF_PIXEL, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC, TF_HALF_PIXEL_FOR_NN,
        TF_CROP_AND_RESIZE }

    /**
     * nearest_mode; LEGACY is the rule of Upsample and Resize-10, which had no nearest_mode: floor where the axis
     * grows or keeps its size, ceil where it shrinks (as ONNX Runtime, and ONNX's own Resize-10 test expects).
     */
    enum Rounding { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL, LEGACY }

    /** Settings of Resize from opset 11 on, from its attributes (with ONNX's defaults). */
    static ResizeSettings of(OpContext ctx) {
        Attributes at = ctx.attrs();
        if (at.getInt("antialias", 0) != 0 || at.has("axes")
                || !at.getString("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw ctx.unsupported("Resize's antialias, axes and keep_aspect_ratio_policy (opset 18)");
        }
        Mode mode = switch (at.getString("mode", "nearest")) {
            case "nearest" -> Mode.NEAREST;
            case "linear" -> Mode.LINEAR;
            case "cubic" -> Mode.CUBIC;
            default -> throw ctx.fail("mode must be nearest, linear or cubic, got '" + at.getString("mode", "") + "'");
        };
        String t = at.getString("coordinate_transformation_mode", "half_pixel");
        Transform transform = switch (t) {
            case "half_pixel" -> Transform.HALF_PIXEL;
            case "pytorch_half_pixel" -> Transform.PYTORCH_HALF_PIXEL;
            case "align_corners" -> Transform.ALIGN_CORNERS;
            case "asymmetric" -> Transform.ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> Transform.TF_HALF_PIXEL_FOR_NN;
            case "tf_crop_and_resize" -> Transform.TF_CROP_AND_RESIZE;
            case "half_pixel_symmetric" -> throw ctx.unsupported("coordinate_transformation_mode '" + t
                    + "' (opset 19)");
            default -> throw ctx.fail("unknown coordinate_transformation_mode '" + t + "'");
        };
        String r = at.getString("nearest_mode", "round_prefer_floor");
        Rounding rounding = switch (r) {
            case "round_prefer_floor" -> Rounding.ROUND_PREFER_FLOOR;
            case "round_prefer_ceil" -> Rounding.ROUND_PREFER_CEIL;
            case "floor" -> Rounding.FLOOR;
            case "ceil" -> Rounding.CEIL;
            default -> throw ctx.fail("unknown nearest_mode '" + r + "'");
        };
        double a = at.getFloat("cubic_coeff_a", -0.75f);
        return new ResizeSettings(mode, transform, rounding, a, at.getInt("exclude_outside", 0) != 0,
                at.getFloat("extrapolation_value", 0f));
    }

    /** Settings of Upsample and Resize-10: mode nearest or linear, asymmetric coordinates. */
    static ResizeSettings legacy(OpContext ctx) {
        String m = ctx.attrs().getString("mode", "nearest");
        Mode mode = switch (m) {
            case "nearest" -> Mode.NEAREST;
            case "linear" -> Mode.LINEAR;
            default -> throw ctx.fail("mode must be nearest or linear, got '" + m + "'");
        };
        return new ResizeSettings(mode, Transform.ASYMMETRIC, Rounding.LEGACY, -0.75, false, 0);
    }
}
