package dev.octet.cli;

import picocli.CommandLine;

/** The version printed by `octet --version`, from the jar manifest where there is one. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"octet " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
