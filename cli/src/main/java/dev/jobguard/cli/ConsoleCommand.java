package dev.jobguard.cli;

import dev.jobguard.console.Console;
import dev.jobguard.console.ConsoleServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Serves the operator console against the database until the process is stopped. */
@Command(
        name = "console",
        description = "Serves the operator console (jobs, runs, journals, audit trail) on 127.0.0.1 until stopped"
                + " (Ctrl-C). Read-only unless --allow-actions; then every action needs the token printed at start.")
final class ConsoleCommand extends GuardCommand {

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8089",
            description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    @Option(
            names = "--allow-actions",
            description = "Allow disable, enable and revert from the page, each with the one-time token printed at"
                    + " start.")
    boolean allowActions;

    @Mixin
    ActorOption actor;

    private InetAddress address;

    @Override
    void validate() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, not " + port);
        }
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException unknown) {
            throw new ParameterException(spec.commandLine(), "--bind " + bind + " is not an address of this machine");
        }
    }

    @Override
    int run(Session session) {
        session.guard().jobs(); // the tables exist, or the store's message says what to do
        String token = allowActions ? Console.randomToken() : null;
        Console console = Console.builder(session.guard())
                .basePath("/")
                .actionToken(token)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        try (ConsoleServer server =
                ConsoleServer.start(console, new InetSocketAddress(address, port), actor.name, allowActions)) {
            out().println("jobguard console: " + server.uri() + " (as " + actor.name + ")");
            if (allowActions) {
                out().println("Actions are on; each needs this one-time token: " + token);
            } else {
                out().println("Read-only: start with --allow-actions to disable, enable or revert from the page.");
            }
            if (!address.isLoopbackAddress()) {
                out().println("Warning: listening on " + bind + ", reachable from other machines; the console has no"
                        + " login of its own.");
            }
            out().println("Stop with Ctrl-C.");
            out().flush();
            stopped.await();
        } catch (IOException failed) {
            err().println("jobguard: could not serve the console on " + bind + ":" + port + ": " + failed.getMessage());
            return FAILURE;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }
}
