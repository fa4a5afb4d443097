package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.OctetException;
import org.junit.jupiter.api.Test;

class PreprocessSpecTest {
    private static final Preprocessing BASE = Preprocessing.generic(224, 224, false, 3);

    @Test
    void settingsOverrideTheBaseAndListsRunOverCommas() {
        Preprocessing p = PreprocessSpec.apply("size=48x320,scale=0.003921569,mean=0.5,0.5,0.5,std=0.5,0.5,0.5,"
                + "order=bgr,layout=nchw,resize=pad", BASE);
        assertThat(p).isEqualTo(new Preprocessing(48, 320, Preprocessing.Resize.KEEP_ASPECT_PAD,
                Preprocessing.Channels.BGR, 0.003921569, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5},
                false, 1));
        assertThat(PreprocessSpec.apply("layout=nhwc", BASE)).isEqualTo(new Preprocessing(224, 224,
                Preprocessing.Resize.STRETCH, Preprocessing.Channels.RGB, 1 / 255.0, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, true, 1));
        assertThat(PreprocessSpec.apply(" ", Preprocessing.ppocrRec())).isEqualTo(Preprocessing.ppocrRec());
    }

    @Test
    void eachMalformedSettingIsNamed() {
        assertBad("size=48", "size '48' is not HEIGHTxWIDTH");
        assertBad("mean=0.5,0.5", "'mean' takes 3 values");
        assertBad("std=1,0,1", "'std' values must be positive");
        assertBad("colour=bgr", "unknown setting 'colour'");
        assertBad("order=gbr", "order 'gbr' is none of rgb, bgr, rgba");
        assertBad("layout=chw", "layout 'chw' is neither nchw nor nhwc");
        assertBad("scale=x", "'scale' value 'x' is not a number");
        assertBad("scale=1,scale=2", "'scale' is given twice");
        assertBad("bgr", "'bgr' is not key=value");
    }

    private static void assertBad(String spec, String message) {
        assertThatThrownBy(() -> PreprocessSpec.apply(spec, BASE)).isInstanceOf(OctetException.class)
                .hasMessageStartingWith("--preprocess: ").hasMessageContaining(message);
    }
}
