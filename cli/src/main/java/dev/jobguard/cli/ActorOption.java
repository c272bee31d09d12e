package dev.jobguard.cli;

import picocli.CommandLine.Option;

/** {@code --by NAME}: who makes a change, recorded with it; the OS user by default. */
final class ActorOption {

    @Option(
            names = {"--by", "--actor"},
            paramLabel = "NAME",
            defaultValue = "${sys:user.name}",
            description = "Who (default: the OS user, ${DEFAULT-VALUE}).")
    String name;
}
