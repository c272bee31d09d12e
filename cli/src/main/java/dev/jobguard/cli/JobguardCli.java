package dev.jobguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * The operator command line: {@code java -jar jobguard-cli.jar --jdbc-url URL COMMAND} (connection options may come
 * from {@code JOBGUARD_JDBC_URL}, {@code JOBGUARD_USER}, {@code JOBGUARD_PASSWORD}, {@code JOBGUARD_TABLE_PREFIX}). Exit codes: 0 success, 1
 * failure (database unreachable, tables missing, a revert refused, stopped by conflicts or failed), 2 bad usage,
 * unknown job/run, or no change journal to revert.
 */
@Command(
        name = "jobguard",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // --help (and --version) on every command too
        versionProvider = VersionProvider.class,
        description = "Inspects and switches jobguard's guarded jobs in the shared state store.",
        subcommands = {
            StatusCommand.class,
            RunsCommand.class,
            ShowCommand.class,
            DisableCommand.class,
            EnableCommand.class,
            HistoryCommand.class,
            ConsoleCommand.class,
            RevertCommand.class,
            PurgeCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (e.g. database unreachable; a revert refused or not applied)",
            "2:bad usage, unknown job or run (or no change journal to revert)"
        })
public final class JobguardCli implements Runnable {

    @Mixin
    ConnectionOptions connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command: usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command");
    }

    /** A command line wired with jobguard's exit codes and one-line error messages. */
    public static CommandLine commandLine() {
        return commandLine(Environment.SYSTEM);
    }

    /** The same, reading connection defaults ({@code JOBGUARD_JDBC_URL}, ...) from the given environment. */
    static CommandLine commandLine(Environment environment) {
        CommandLine cli = new CommandLine(new JobguardCli());
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cli.setExecutionExceptionHandler(new FailureHandler());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
