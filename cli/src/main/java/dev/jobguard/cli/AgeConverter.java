package dev.jobguard.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive age: ISO-8601 ({@code P30D}, {@code PT12H}) or short ({@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}). */
final class AgeConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([wdhms])");

    @Override
    public Duration convert(String value) {
        Duration age = parse(value.strip());
        if (age.isZero() || age.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return age;
    }

    private static Duration parse(String value) {
        Matcher matcher = SHORT.matcher(value.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "w" -> Duration.ofDays(7 * amount);
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException notIso) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration; use ISO-8601 like P30D or PT12H, or 30d, 12h, 90m, 2w");
        }
    }
}
