package dev.jobguard.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An instant in ISO-8601 with its offset: {@code 2026-12-24T06:00Z}, {@code 2026-12-24T07:00+01:00}. */
final class InstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        String text = value.strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notIso) {
                throw new TypeConversionException("'" + value + "' is not a time with its offset; use ISO-8601 like"
                        + " 2026-12-24T06:00Z or 2026-12-24T07:00+01:00");
            }
        }
    }
}
