package dev.jobguard.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the version the build wrote into the jar's manifest ({@code Implementation-Version}), so it is
 * never a string in the code that a release forgets to change.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {line(JobguardCli.class.getPackage().getImplementationVersion())};
    }

    /** The line printed for a manifest's version, or for none (run from classes, not from the jar). */
    static String line(String implementationVersion) {
        return implementationVersion == null || implementationVersion.isBlank()
                ? "jobguard-cli (version unknown: not run from its jar)"
                : "jobguard-cli " + implementationVersion.strip();
    }
}
