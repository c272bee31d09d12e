package dev.jobguard.cli;

/** Where the CLI reads environment variables: {@link System#getenv(String)} unless a test supplies its own. */
@FunctionalInterface
interface Environment {

    Environment SYSTEM = System::getenv;

    /** The variable's value, or null when it is not set. */
    String get(String name);
}
