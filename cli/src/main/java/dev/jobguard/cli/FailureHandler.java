package dev.jobguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a failure into one line on stderr and exit code 1; the stack trace only with {@code --verbose}. */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parseResult) {
        command.getErr().println(oneLine(failure));
        if (verbose(command)) {
            failure.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return 1;
    }

    static String oneLine(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            message = failure.getClass().getSimpleName();
        }
        message = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return message.startsWith("jobguard:") ? message : "jobguard: " + message;
    }

    private static boolean verbose(CommandLine command) {
        CommandLine root = command;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof JobguardCli cli && cli.connection != null && cli.connection.verbose;
    }
}
