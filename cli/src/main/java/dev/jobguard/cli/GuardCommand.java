package dev.jobguard.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that works on the state store: opens it, runs, closes it. */
abstract class GuardCommand implements Callable<Integer> {

    static final int OK = CommandLine.ExitCode.OK;
    static final int FAILURE = CommandLine.ExitCode.SOFTWARE;
    static final int USAGE = CommandLine.ExitCode.USAGE;

    @ParentCommand
    JobguardCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        cli.connection.requireUrl(spec.commandLine());
        validate();
        try (Session session = cli.connection.open(spec.commandLine())) {
            int code = run(session);
            out().flush();
            err().flush();
            return code;
        }
    }

    abstract int run(Session session);

    /** Checks what picocli cannot, before the database is opened: a bad argument is a usage error whatever it holds. */
    void validate() {}

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** An unknown job or run: one line on stderr, exit code 2. */
    int unknown(String message) {
        err().println("jobguard: " + message);
        err().flush();
        return USAGE;
    }
}
