package dev.octet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The guarded output buffers catch a write past the end and (the float ones) an element left unwritten. */
class GuardedBuffersTest {
    @Test
    void floatsCatchAWritePastTheEndAndAnUnwrittenElement() {
        GuardedOutput out = new GuardedOutput(3);
        MemorySegment s = out.segment();
        assertThat(out.damage()).isEqualTo("left output element 0 unwritten (NaN)");
        for (int i = 0; i < 3; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
        }
        assertThat(out.damage()).isNull();
        assertThat(out.values()).containsExactly(0f, 1f, 2f);
        s.setAtIndex(ValueLayout.JAVA_FLOAT, 3 + 5, 0f);
        assertThat(out.damage()).isEqualTo("wrote past the end of the output (canary 5 overwritten)");
    }

    @Test
    void halfsCatchAWritePastTheEndAndAnUnwrittenElement() {
        GuardedHalfs out = new GuardedHalfs(2);
        MemorySegment s = out.segment();
        s.setAtIndex(ValueLayout.JAVA_SHORT, 0, Float.floatToFloat16(1.5f));
        assertThat(out.damage()).isEqualTo("left output element 1 unwritten (NaN)");
        s.setAtIndex(ValueLayout.JAVA_SHORT, 1, Float.floatToFloat16(-2f));
        assertThat(out.damage()).isNull();
        assertThat(out.values()).containsExactly(1.5f, -2f);
        s.setAtIndex(ValueLayout.JAVA_SHORT, 2 + Canaries.COUNT - 1, (short) 0);
        assertThat(out.damage()).isEqualTo("wrote past the end of the output (canary 63 overwritten)");
    }

    @Test
    void bytesCatchAWritePastTheEnd() {
        GuardedBytes out = new GuardedBytes(4, GuardedBytes.FILLS[0]);
        MemorySegment s = out.segment();
        assertThat(out.damage()).isNull();
        assertThat(out.values()).containsOnly(GuardedBytes.FILLS[0]).hasSize(4);
        s.set(ValueLayout.JAVA_BYTE, 4, (byte) 7);
        assertThat(out.damage()).isEqualTo("wrote past the end of the output (canary 0 overwritten)");
    }
}
