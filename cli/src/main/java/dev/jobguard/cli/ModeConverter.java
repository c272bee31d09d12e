package dev.jobguard.cli;

import dev.jobguard.GuardMode;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code dry-run}, {@code observe} or {@code enforce} (any case; {@code dry_run} too). */
final class ModeConverter implements ITypeConverter<GuardMode> {

    @Override
    public GuardMode convert(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (GuardMode mode : GuardMode.values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a mode; use dry-run, observe or enforce");
    }
}
