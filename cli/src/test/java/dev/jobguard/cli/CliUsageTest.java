package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Exit codes and messages that need no prepared database. */
class CliUsageTest {

    private static final List<String> UNREACHABLE = List.of("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere");
    private static final List<String> H2 = List.of("--jdbc-url", "jdbc:h2:mem:jgcli-usage;DB_CLOSE_DELAY=-1");

    @Test
    void helpExitsWithZero() {
        Cli.Result result = Cli.run(List.of(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("--jdbc-url", "status", "runs", "show", "disable", "enable", "revert", "purge");
    }

    @Test
    void versionComesFromTheJarsManifestNotFromTheCode() {
        Cli.Result result = Cli.run(List.of(), "--version");

        assertThat(result.exitCode()).isZero();
        // run from target/classes here: no manifest; CliJarIT checks the jar
        assertThat(result.out().strip()).isEqualTo(VersionProvider.line(null));
        assertThat(VersionProvider.line("1.2.3")).isEqualTo("jobguard-cli 1.2.3");
    }

    @Test
    void everyCommandPrintsItsHelpAndExitsWithZero() {
        for (String command : List.of("status", "runs", "show", "disable", "enable", "revert", "purge")) {
            Cli.Result result = Cli.run(List.of(), command, "--help");

            assertThat(result.exitCode())
                    .as(command + " --help: " + result.err())
                    .isZero();
            assertThat(result.out()).startsWith("Usage: jobguard " + command);
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCodeOne() {
        Cli.Result result = Cli.run(UNREACHABLE, "status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip())
                .startsWith("jobguard: ")
                .contains("refused")
                .doesNotContain("\n");
        assertThat(result.err()).doesNotContain("\tat ");
    }

    @Test
    void aConnectionFailureNamesTheDatabaseAndTheOptionsToCheck() throws Exception {
        Cli.Result refused = Cli.run(
                List.of("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere?user=ops&password=s3cret"), "status");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip())
                .startsWith(
                        "jobguard: could not connect to jdbc:postgresql://127.0.0.1:1/nowhere?user=ops&password=***")
                .contains("refused", "check --jdbc-url, --user and --password")
                .doesNotContain("s3cret", "job '*'", "\n");

        String url = "jdbc:h2:mem:jgcli-password-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (java.sql.Connection keepOpen = java.sql.DriverManager.getConnection(url, "sa", "right")) {
            Cli.Result wrong = Cli.run(List.of("--jdbc-url", url, "--user", "sa", "--password", "wrong"), "status");

            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(wrong.err()).contains("could not connect to", " as sa: ", "Wrong user name or password");
        }
    }

    @Test
    void aUrlNoDriverTakesIsAUsageErrorListingTheDatabases() {
        Cli.Result result = Cli.run(List.of("--jdbc-url", "postgres://db:5432/app"), "status");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("--jdbc-url 'postgres://db:5432/app'", "jdbc:postgresql://", "jdbc:mariadb://", "jdbc:h2:")
                .doesNotContain("job '*'");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Cli.Result result = Cli.run(
                List.of("--verbose", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere"), "runs", "some-job");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("StateStoreException", "\tat ");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(Cli.run(List.of(), "status").exitCode()).as("no --jdbc-url").isEqualTo(2);
        assertThat(Cli.run(H2).exitCode()).as("no command").isEqualTo(2);
        assertThat(Cli.run(H2, "frobnicate").exitCode()).as("unknown command").isEqualTo(2);
        assertThat(Cli.run(H2, "disable", "job").exitCode()).as("no --reason").isEqualTo(2);
        assertThat(Cli.run(H2, "runs", "job", "--limit", "0").exitCode())
                .as("--limit 0")
                .isEqualTo(2);

        Cli.Result age = Cli.run(H2, "purge", "--older-than", "soon");
        assertThat(age.exitCode()).isEqualTo(2);
        assertThat(age.err()).contains("--older-than", "P30D");
    }

    @Test
    void aBlankReasonJobOrRunIdIsAUsageErrorNamingTheArgument() {
        Cli.Result reason = Cli.run(H2, "disable", "job", "--reason", " ");
        assertThat(reason.exitCode()).isEqualTo(2);
        assertThat(reason.err()).contains("--reason", "must not be blank");

        assertThat(Cli.run(H2, "enable", "job", "--reason", "").exitCode()).isEqualTo(2);
        assertThat(Cli.run(H2, "disable", "", "--reason", "x").err()).contains("JOB", "must not be blank");
        assertThat(Cli.run(H2, "runs", " ").exitCode()).isEqualTo(2);
        Cli.Result run = Cli.run(H2, "show", "");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("RUN_ID", "must not be blank");
        assertThat(Cli.run(H2, "revert", "").exitCode()).isEqualTo(2);
    }

    @Test
    void aMissingUrlNamesTheFlagAndTheVariable() {
        Cli.Result result = Cli.run(name -> null, List.of("--user", "ops"), "status");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--jdbc-url", "JOBGUARD_JDBC_URL");

        Cli.Result blank = Cli.run(name -> name.equals("JOBGUARD_JDBC_URL") ? " " : null, List.of(), "status");
        assertThat(blank.exitCode()).isEqualTo(2);
    }

    @Test
    void theUrlVariableIsUsedWhenTheFlagIsAbsent() {
        Cli.Result result = Cli.run(
                name -> name.equals("JOBGUARD_JDBC_URL") ? "jdbc:postgresql://127.0.0.1:1/from-env" : null,
                List.of(),
                "status");

        assertThat(result.exitCode())
                .as("reached the driver, not a usage error")
                .isEqualTo(1);
        assertThat(result.err()).contains("refused");
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        String tricky = "a\"b\\c\nd\te\u0001f\u2028g\u00fc/";

        String quoted = Json.quote(tricky);

        assertThat(quoted).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028g\u00fc/\"");
        assertThat(JsonParser.parse(quoted)).isEqualTo(tricky);
        assertThat(new Json()
                        .beginArray()
                        .beginObject()
                        .name("n")
                        .value(1)
                        .name("s")
                        .nullValue()
                        .endObject()
                        .value(true)
                        .endArray()
                        .toString())
                .isEqualTo("[{\"n\":1,\"s\":null},true]");
    }

    @Test
    void ageAcceptsIsoAndShortForms() {
        AgeConverter ages = new AgeConverter();

        assertThat(ages.convert("P30D")).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(ages.convert("pt12h")).isEqualTo(java.time.Duration.ofHours(12));
        assertThat(ages.convert("30d")).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(ages.convert("2w")).isEqualTo(java.time.Duration.ofDays(14));
        assertThat(ages.convert("90m")).isEqualTo(java.time.Duration.ofMinutes(90));
    }
}
