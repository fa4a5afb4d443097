package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFamilyTest {
    private static Model model(String file, TensorType input) {
        Value in = new Value("x", input);
        Graph g = new Graph("g", List.of(in), List.of(in), List.of(), Map.of(), Map.of(), Map.of("", 13));
        return new Model(g, Path.of("/models", file), "", Map.of());
    }

    private static TensorType nchw(long h, long w) {
        return new TensorType(DataType.FLOAT, List.of(Dim.unknown(), Dim.of(3), h < 0 ? Dim.unknown() : Dim.of(h),
                w < 0 ? Dim.unknown() : Dim.of(w)));
    }

    @Test
    void recognisesTheRealModelsByTheirFileNames() {
        assertThat(ModelFamily.of(model("ch_PP-OCRv4_det_infer.onnx", nchw(-1, -1)))).isEqualTo(ModelFamily.PPOCR_DET);
        assertThat(ModelFamily.of(model("ch_PP-OCRv3_rec_infer.onnx", nchw(-1, -1)))).isEqualTo(ModelFamily.PPOCR_REC);
        assertThat(ModelFamily.of(model("ch_ppocr_mobile_v2.0_cls_infer.onnx", nchw(-1, -1))))
                .isEqualTo(ModelFamily.PPOCR_CLS);
        TensorType nhwc = TensorType.of(DataType.FLOAT, 1, 128, 128, 3);
        assertThat(ModelFamily.of(model("face_detection_front_128x128_barracuda.onnx", nhwc)))
                .isEqualTo(ModelFamily.BLAZEFACE);
        assertThat(ModelFamily.of(model("mlsd_512x512_large.onnx", TensorType.of(DataType.FLOAT, 1, 512, 512, 4))))
                .isEqualTo(ModelFamily.MLSD);
        assertThat(ModelFamily.of(model("resnet.onnx", nchw(224, 224)))).isEqualTo(ModelFamily.IMAGE);
        assertThat(ModelFamily.of(model("bert.onnx", TensorType.of(DataType.INT64, 1, 128)))).isEqualTo(ModelFamily.OTHER);
    }

    @Test
    void takesStaticSizesFromTheModelAndDefaultsForOpenOnes() {
        Preprocessing face = ModelFamily.BLAZEFACE.preprocessing(TensorType.of(DataType.FLOAT, 1, 256, 256, 3));
        assertThat(face.height()).isEqualTo(256);
        assertThat(face.nhwc()).isTrue();
        Preprocessing mlsd = ModelFamily.MLSD.preprocessing(TensorType.of(DataType.FLOAT, 1, 512, 512, 4));
        assertThat(mlsd.channels()).isEqualTo(Preprocessing.Channels.RGBA);
        assertThat(mlsd.width()).isEqualTo(512);
        Preprocessing det = ModelFamily.PPOCR_DET.preprocessing(nchw(-1, -1));
        assertThat(det.resize()).isEqualTo(Preprocessing.Resize.LIMIT_MULTIPLE_OF_32);
        assertThat(det.channels()).isEqualTo(Preprocessing.Channels.BGR);
        assertThat(ModelFamily.PPOCR_REC.preprocessing(nchw(-1, -1))).isEqualTo(Preprocessing.ppocrRec());
        assertThat(ModelFamily.PPOCR_CLS.preprocessing(nchw(48, 192))).isEqualTo(Preprocessing.ppocrCls());
        assertThat(ModelFamily.IMAGE.preprocessing(nchw(32, 64)).width()).isEqualTo(64);
    }
}
