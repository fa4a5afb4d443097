package dev.octet.cli;

import picocli.CommandLine;

/** The version printed by `octet --version`, from the jar manifest where there is one. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"octet " + dev.octet.Octet.version() + " (Java " + Runtime.version() + ")"};
    }
}
