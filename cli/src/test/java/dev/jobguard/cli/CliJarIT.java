package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The built uber-jar, run as an operator runs it (after {@code package}, by failsafe). */
class CliJarIT {

    @Test
    void versionIsTheProjectVersionFromTheJarsManifest() throws Exception {
        Path jar = Path.of(System.getProperty("jobguard.cli.jar"));
        assertThat(jar).exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("jobguard-cli " + System.getProperty("jobguard.cli.expected-version"));
    }
}
