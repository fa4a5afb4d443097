package dev.octet.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/**
 * A bench's progress on the error stream: the warm-up rounds (as many as the JIT needs: an open-ended bar), then
 * the timed ones. The warm-up of a large model can take half a minute ({@link WarmUp}).
 */
final class RoundsProgress implements AutoCloseable {
    private final PrintWriter err;
    private final int runs;
    private ProgressBar bar;
    private boolean timing;

    RoundsProgress(PrintWriter err, int runs) {
        this.err = err;
        this.runs = runs;
    }

    /** Counts a round, a warm-up one or a timed one; the first timed one ends the warm-up bar. */
    void round(boolean warming) {
        if (!warming && !timing) {
            close();
            timing = true;
        }
        if (bar == null) {
            bar = warming ? ConsoleBars.ascii(err, "warm-up", -1, 80) : ConsoleBars.ascii(err, "timed", runs, 80);
        }
        bar.step();
    }

    @Override
    public void close() {
        bar = ConsoleBars.end(bar, err);
    }
}
