package dev.octet.report;

import static org.assertj.core.api.Assertions.assertThat;

/** What a page must not have to show the same offline: no address to fetch, no script, no stylesheet link. */
public final class SelfContained {
    private SelfContained() {
    }

    public static void check(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>")
                .doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase(" src=").doesNotContainIgnoringCase("url(")
                .doesNotContainIgnoringCase("@import").doesNotContain("NaN");
    }
}
