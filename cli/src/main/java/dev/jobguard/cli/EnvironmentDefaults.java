package dev.jobguard.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Connection options absent from the command line come from environment variables; an unset or blank variable
 * leaves the option's own default (or none).
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    static final String JDBC_URL = "JOBGUARD_JDBC_URL";
    static final String USER = "JOBGUARD_USER";
    static final String PASSWORD = "JOBGUARD_PASSWORD";
    static final String TABLE_PREFIX = "JOBGUARD_TABLE_PREFIX";

    /** Option name to variable name. */
    static final Map<String, String> VARIABLES = Map.of(
            "--jdbc-url", JDBC_URL,
            "--user", USER,
            "--password", PASSWORD,
            "--table-prefix", TABLE_PREFIX);

    private final Environment environment;

    EnvironmentDefaults(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        String variable = VARIABLES.get(option.longestName());
        if (variable == null) {
            return null;
        }
        String value = environment.get(variable);
        // the password may legitimately be empty; any other blank variable counts as unset
        if (value == null || (value.isBlank() && !PASSWORD.equals(variable))) {
            return null;
        }
        return value;
    }
}
