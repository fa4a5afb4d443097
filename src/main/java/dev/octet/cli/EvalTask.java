package dev.octet.cli;

import dev.octet.ir.OctetException;

/** The tasks of `octet eval`, with their default sample counts and bundled models. */
enum EvalTask {
    REC("ocr-rec", 500, "ch_PP-OCRv4_rec_infer.onnx"),
    CLS("ocr-cls", 500, "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    DET("ocr-det", 100, "ch_PP-OCRv4_det_infer.onnx"),
    BLAZEFACE("blazeface", Integer.MAX_VALUE, null),
    MLSD("mlsd", Integer.MAX_VALUE, null);

    final String label;
    final int defaultSamples;
    final String bundled;

    EvalTask(String label, int defaultSamples, String bundled) {
        this.label = label;
        this.defaultSamples = defaultSamples;
        this.bundled = bundled;
    }

    /** Whether the task's data is rendered by Octet (and so has labels and a calibration split). */
    boolean rendered() {
        return bundled != null;
    }

    static EvalTask parse(String name) {
        for (EvalTask t : values()) {
            if (t.label.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new OctetException("unknown task '" + name + "': one of ocr-rec, ocr-cls, ocr-det, blazeface, mlsd");
    }
}
