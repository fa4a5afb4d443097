package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.OctetException;
import dev.octet.runtime.CpuFeatures;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IsaLevelTest {
    private static final CpuFeatures ZEN3 = new CpuFeatures(Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"));
    private static final CpuFeatures SAPPHIRE_RAPIDS;

    static {
        Set<String> f = new HashSet<>(ZEN3.flags());
        f.addAll(Set.of("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_vnni", "avx_vnni"));
        SAPPHIRE_RAPIDS = new CpuFeatures(f);
    }

    @AfterEach
    void clearOverride() {
        System.clearProperty(IsaLevel.PROPERTY);
    }

    @Test
    void theBestLevelIsTheHighestWhoseFeaturesTheCpuHas() {
        assertThat(IsaLevel.best(SAPPHIRE_RAPIDS)).isEqualTo(IsaLevel.X86_64_V4_VNNI);
        assertThat(IsaLevel.best(ZEN3)).isEqualTo(IsaLevel.X86_64_V3);
        Set<String> noVnni = new HashSet<>(SAPPHIRE_RAPIDS.flags());
        noVnni.remove("avx512_vnni"); // Skylake-X: AVX-512 without VNNI is not the vnni level
        assertThat(IsaLevel.best(new CpuFeatures(noVnni))).isEqualTo(IsaLevel.X86_64_V3);
        assertThat(IsaLevel.best(new CpuFeatures(Set.of()))).isEqualTo(IsaLevel.X86_64_V3);
    }

    @Test
    void theAmxLevelNeedsTheTilesAndTheOperatingSystemsGrant() {
        Set<String> tiles = new HashSet<>(SAPPHIRE_RAPIDS.flags());
        tiles.addAll(Set.of("amx_tile", "amx_int8"));
        assertThat(IsaLevel.best(new CpuFeatures(tiles))).as("not granted").isEqualTo(IsaLevel.X86_64_V4_VNNI);
        tiles.add(CpuFeatures.AMX_GRANTED);
        assertThat(IsaLevel.best(new CpuFeatures(tiles))).isEqualTo(IsaLevel.X86_64_V4_AMX);
        assertThat(IsaLevel.X86_64_V4_AMX.hasVnni() && IsaLevel.X86_64_V4_AMX.hasAvx512()).isTrue();
        assertThat(IsaLevel.X86_64_V4_VNNI.hasAmx()).isFalse();
        assertThat(IsaLevel.X86_64_V4_AMX.compilerFlags()).containsExactly("-march=x86-64-v4", "-mavx512vnni",
                "-mamx-tile", "-mamx-int8");
        assertThat(IsaLevel.X86_64_V4_AMX.requiredFeatures()).containsAll(IsaLevel.X86_64_V4_VNNI.requiredFeatures());
        assertThatThrownBy(() -> IsaLevel.X86_64_V4_AMX.checkRunsOn(SAPPHIRE_RAPIDS, "the library x.so"))
                .isInstanceOf(OctetException.class).hasMessageContaining("amx_granted")
                .hasMessageContaining("-Doctet.isa=x86-64-v4+vnni");
        System.setProperty(IsaLevel.PROPERTY, "x86-64-v4+amx");
        assertThat(IsaLevel.defaultLevel()).isEqualTo(IsaLevel.X86_64_V4_AMX);
    }

    @Test
    void eachLevelNamesItsCompilerFlags() {
        assertThat(IsaLevel.X86_64_V3.compilerFlags()).containsExactly("-march=x86-64-v3");
        assertThat(IsaLevel.X86_64_V4_VNNI.compilerFlags()).containsExactly("-march=x86-64-v4", "-mavx512vnni");
        assertThat(IsaLevel.X86_64_V4_VNNI.requiredFeatures()).containsAll(IsaLevel.X86_64_V3.requiredFeatures());
    }

    @Test
    void thePropertyOverridesTheDetectedLevelAndUnknownNamesAreAClearError() {
        System.setProperty(IsaLevel.PROPERTY, "x86-64-v3");
        assertThat(IsaLevel.defaultLevel()).isEqualTo(IsaLevel.X86_64_V3);
        System.setProperty(IsaLevel.PROPERTY, "x86-64-v4+vnni");
        assertThat(IsaLevel.defaultLevel()).isEqualTo(IsaLevel.X86_64_V4_VNNI);
        System.clearProperty(IsaLevel.PROPERTY);
        assertThat(IsaLevel.defaultLevel()).isEqualTo(IsaLevel.best(CpuFeatures.current()));
        assertThatThrownBy(() -> IsaLevel.parse("native")).isInstanceOf(OctetException.class)
                .hasMessageContaining("unknown ISA level 'native'").hasMessageContaining("x86-64-v3");
    }

    @Test
    void codeOfALevelTheCpuLacksIsRefusedNamingTheMissingFeatures() {
        assertThatThrownBy(() -> IsaLevel.X86_64_V4_VNNI.checkRunsOn(ZEN3, "the library x.so"))
                .isInstanceOf(OctetException.class)
                .hasMessageContaining("the library x.so was built for x86-64-v4+vnni")
                .hasMessageContaining("avx512_vnni").hasMessageContaining("-Doctet.isa=x86-64-v3");
        IsaLevel.X86_64_V3.checkRunsOn(ZEN3, "ok");
        IsaLevel.X86_64_V4_VNNI.checkRunsOn(SAPPHIRE_RAPIDS, "ok");
        IsaLevel.X86_64_V3.checkRunsOn(new CpuFeatures(Set.of()), "unknown CPU: the lowest level is assumed");
    }
}
