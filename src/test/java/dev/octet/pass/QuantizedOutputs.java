package dev.octet.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.Map;

/** Comparisons of the quantized outputs of a QDQ graph before and after an int8 fusion pass. */
final class QuantizedOutputs {
    private QuantizedOutputs() {
    }

    /**
     * The integer outputs of both graphs differ by at most one unit per element (the float group rounds its
     * convolution to fp32 before quantizing, the integer node requantizes the exact accumulator); returns how many
     * elements differ, after asserting the outputs are integer tensors of one type and shape.
     */
    static int assertWithinOneUnit(Graph before, Graph after, Map<String, Tensor> inputs) {
        Map<String, Tensor> expected = new ReferenceInterpreter(before).run(inputs);
        Map<String, Tensor> actual = new ReferenceInterpreter(after).run(inputs);
        int differing = 0;
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name);
            Tensor a = actual.get(name);
            assertThat(a.type()).as(name).isEqualTo(e.type());
            assertThat(e.dtype().isInteger()).isTrue();
            long[] ev = e.longs();
            long[] av = a.longs();
            for (int i = 0; i < ev.length; i++) {
                assertThat(Math.abs(ev[i] - av[i])).as("%s[%d]", name, i).isLessThanOrEqualTo(1);
                differing += ev[i] != av[i] ? 1 : 0;
            }
        }
        return differing;
    }
}
