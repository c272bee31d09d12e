package dev.jobguard.cli;

import dev.jobguard.GuardMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code dry-run}, {@code observe} or {@code enforce} (any case; {@code dry_run} too), read by {@link GuardMode#parse}. */
final class ModeConverter implements ITypeConverter<GuardMode> {

    @Override
    public GuardMode convert(String value) {
        try {
            return GuardMode.parse(value);
        } catch (IllegalArgumentException unknown) {
            throw new TypeConversionException("'" + value + "' is not a mode; use dry-run, observe or enforce");
        }
    }
}
