package dev.jobguard.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A positive age of at most {@link #MAX} (100 years): ISO-8601 ({@code P30D}, {@code PT12H}) or short ({@code 30d},
 * {@code 12h}, {@code 90m}, {@code 2w}). The bound keeps the cutoff a date every database stores: MariaDB took a
 * cutoff before year 1000 for a later one and purged every run.
 */
final class AgeConverter implements ITypeConverter<Duration> {

    static final Duration MAX = Duration.ofDays(36500);

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([wdhms])");

    @Override
    public Duration convert(String value) {
        Duration age = parse(value.strip());
        if (age.isZero() || age.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        if (age.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + value + "' is too long: at most " + MAX.toDays()
                    + "d (100 years); nothing that old is stored");
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
