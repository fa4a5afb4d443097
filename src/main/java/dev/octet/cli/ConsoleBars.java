package dev.octet.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars of the commands, drawn in ASCII on one line of the command's error stream. */
final class ConsoleBars {
    private ConsoleBars() {
    }

    /** @param max the steps to the end, or -1 where that is not known (an indeterminate bar) */
    static ProgressBar ascii(PrintWriter err, String title, long max, int width) {
        return new ProgressBarBuilder().setTaskName(title).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(width)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print("\r" + line);
                    err.flush();
                }, width))
                .build();
    }

    /** Closes a bar, if any, and ends its line; returns null, for the field that held it. */
    static ProgressBar end(ProgressBar bar, PrintWriter err) {
        if (bar != null) {
            bar.close();
            err.println();
            err.flush();
        }
        return null;
    }
}
