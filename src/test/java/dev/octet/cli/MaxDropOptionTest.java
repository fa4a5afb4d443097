package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.ir.OctetException;
import dev.octet.quant.FallbackBudget;
import dev.octet.quant.FloatFallback;
import dev.octet.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `--max-drop X`: the fallback budgeted by the eval task's own metric, and the errors around it. */
class MaxDropOptionTest {
    private static EvalCommand eval(String... args) {
        EvalCommand c = new EvalCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void maxDropBudgetsTheTaskMetricInPointsAndNotTheCosine() {
        Int8Options o = eval("ocr-rec", "--int8", "--fallback", "--max-drop", "0.5", "--fallback-images", "3")
                .int8Options;
        o.taskMetric = new TaskMetric("character accuracy (points) on 7 held-out lines", c -> 97.25);
        FloatFallback f = o.floatFallback(false);
        assertThat(f.heldOutImages()).isEqualTo(3);
        FallbackBudget.Check check = f.budget().against(null, List.of());
        assertThat(check.describe()).isEqualTo("character accuracy (points) on 7 held-out lines drop <= 0.5 from "
                + "fp32's 97.25");
        assertThat(check.holds(96.75)).isTrue();
        assertThat(check.holds(96.7)).isFalse();
    }

    @Test
    void withoutMaxDropTheBudgetIsStillTheOutputCosine() {
        Int8Options o = eval("ocr-rec", "--int8", "--fallback").int8Options;
        o.taskMetric = new TaskMetric("unused", c -> {
            throw new AssertionError("the metric is not the budget");
        });
        assertThat(o.floatFallback(false)).isNotNull();
        assertThat(eval("ocr-rec", "--int8").int8Options.floatFallback(false)).isNull();
    }

    @Test
    void minAgreementBudgetsTheKeptDecisionsImpliesFallbackAndGoesAlone() {
        FloatFallback f = eval("ocr-rec", "--int8", "--min-agreement", "0.99").int8Options.floatFallback(false);
        assertThat(f).isNotNull();
        assertThat(f.budget().against(null, List.of()).describe()).isEqualTo("share of fp32's argmax decisions "
                + "kept >= 0.99 on 0 held-out input(s)");
        assertThatThrownBy(() -> eval("ocr-rec", "--int8", "--min-agreement", "0.99", "--min-cosine", "0.99")
                .int8Options.floatFallback(false)).isInstanceOf(OctetException.class).hasMessage("--min-agreement, "
                        + "--min-cosine and --max-drop are budgets for the fallback: give one");
    }

    @Test
    void maxDropIsRefusedWithoutFallbackWithMinCosineOrWithoutAMetric() {
        assertThatThrownBy(() -> eval("ocr-cls", "--int8", "--max-drop", "0.5").int8Options.floatFallback(false))
                .isInstanceOf(OctetException.class).hasMessage("--max-drop 0.5 is the fallback's budget: add "
                        + "--fallback");
        assertThatThrownBy(() -> eval("ocr-cls", "--int8", "--fallback", "--max-drop", "0.5", "--min-cosine",
                "0.99").int8Options.floatFallback(false)).isInstanceOf(OctetException.class)
                .hasMessageContaining("give one");
        // every command but eval of a labelled task: no metric to budget
        assertThatThrownBy(() -> eval("ocr-cls", "--int8", "--fallback", "--max-drop", "0.5").int8Options
                .floatFallback(false)).isInstanceOf(OctetException.class)
                .hasMessageContaining("only `octet eval ocr-rec|ocr-cls|ocr-det --int8` measures");
        assertThatThrownBy(() -> EvalInt8.check(EvalTask.MLSD, true, eval("mlsd", "--int8", "--fallback",
                "--max-drop", "1").int8Options)).isInstanceOf(OctetException.class)
                .hasMessage("--max-drop needs an end-task metric, and mlsd has none (no labels); use --min-cosine");
        assertThatThrownBy(() -> EvalInt8.check(EvalTask.REC, false, eval("ocr-rec", "--max-drop", "1")
                .int8Options)).isInstanceOf(OctetException.class).hasMessageContaining("add --int8 --fallback");
    }

    @Test
    void theCommandLineSaysWhichMetricEachTaskBudgetsAndFailsEarly() {
        CliRun help = CliRun.of("eval", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("ocr-rec: character accuracy; ocr-cls: accuracy; "
                + "ocr-det: F1 at IoU 0.5");
        CliRun noFallback = CliRun.of("eval", "ocr-cls", "--int8", "--max-drop", "0.5");
        assertThat(noFallback.exitCode()).isEqualTo(1);
        assertThat(noFallback.err()).contains("--max-drop 0.5 is the fallback's budget: add --fallback");
        CliRun quantize = CliRun.of("quantize", TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString(),
                "--calib", ".", "-o", "unused.onnx", "--fallback", "--max-drop", "0.5");
        assertThat(quantize.exitCode()).isEqualTo(1);
        assertThat(quantize.err()).contains("--max-drop needs an end-task metric");
    }

    @Test
    void evalMeasuresTheBudgetOnHeldOutRenderedSamples() {
        // the fallback's note goes to the process's stderr (with the progress bars), not to the command's writer
        PrintStream stderr = System.err;
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        CliRun r;
        try {
            System.setErr(new PrintStream(notes, true, StandardCharsets.UTF_8));
            r = CliRun.of("eval", "ocr-cls", "--samples", "10", "--int8", "--calib-count", "10",
                    "--fallback-images", "2", "--fallback", "--max-drop", "100", "--fallback-samples", "12");
        } finally {
            System.setErr(stderr);
        }
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(notes.toString(StandardCharsets.UTF_8)).containsPattern("fallback: budget accuracy \\(points\\) on 12 held-out lines drop <= "
                + "100.0 from fp32's \\d+\\.\\d+: \\d+\\.\\d+ with every layer int8 -> .* \\(met\\)");
    }

    @Test
    void withJsonTheFallbacksBudgetAndWhetherItWasMetAreInTheOutput() throws Exception {
        CliRun r = CliRun.of("eval", "ocr-cls", "--samples", "10", "--int8", "--calib-count", "10",
                "--fallback-images", "2", "--fallback", "--max-drop", "100", "--fallback-samples", "12", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("fallback").asText()).matches("fallback: budget accuracy \\(points\\) on 12 held-out "
                + "lines drop <= 100.0 from fp32's \\d+\\.\\d+: \\d+\\.\\d+ with every layer int8 -> .* \\(met\\)");
        CliRun noFallback = CliRun.of("eval", "ocr-cls", "--samples", "4", "--int8", "--calib-count", "4", "--json");
        assertThat(noFallback.exitCode()).as(noFallback.err()).isZero();
        assertThat(new ObjectMapper().readTree(noFallback.out()).has("fallback")).isFalse();
    }
}
