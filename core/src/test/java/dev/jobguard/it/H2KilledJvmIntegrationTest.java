package dev.jobguard.it;

import java.nio.file.Path;

class H2KilledJvmIntegrationTest extends AbstractKilledJvmIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    /**
     * A file, so that the next JVM finds what the killed one committed; WRITE_DELAY=0 makes a commit durable when it
     * returns (H2 otherwise writes commits to the file up to 500 ms later, and a killed JVM loses them, data and
     * journal alike).
     */
    @Override
    protected String url() {
        return "jdbc:h2:file:" + Path.of("target", "killed-jvm-h2", "jobguard").toAbsolutePath() + ";WRITE_DELAY=0";
    }
}
