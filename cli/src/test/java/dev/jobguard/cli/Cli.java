package dev.jobguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in-process with captured output. */
final class Cli {

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    static Result run(List<String> connection, String... command) {
        return run(name -> null, connection, command);
    }

    /** With the given environment variables instead of the process's. */
    static Result run(Environment environment, List<String> connection, String... command) {
        List<String> args = new ArrayList<>(connection);
        args.addAll(List.of(command));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = JobguardCli.commandLine(environment);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
