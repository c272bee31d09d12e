package dev.jobguard.internal.run;

import dev.jobguard.internal.sql.TableNames;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Table names the guard leaves alone (never counted, never rolled back): exact names or prefixes ending in
 * {@code *}, compared with the table's unqualified, normalized name.
 */
public final class TablePatterns {

    /** The guard's own tables, ShedLock's, Quartz's and Spring Batch's job repository's. */
    public static final List<String> DEFAULT_IGNORED = List.of("jobguard_*", "shedlock", "qrtz_*", "batch_*");

    private final List<String> patterns;

    private TablePatterns(List<String> patterns) {
        this.patterns = patterns;
    }

    public static TablePatterns of(List<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        return new TablePatterns(patterns.stream()
                .map(pattern -> {
                    String normalized = TableNames.normalize(pattern);
                    if (normalized == null || !validStar(normalized)) {
                        throw new IllegalArgumentException("jobguard: ignored table pattern '" + pattern
                                + "' is not valid: use a table name, or a prefix followed by '*' (e.g. qrtz_*)");
                    }
                    if (normalized.equals("*")) {
                        throw new IllegalArgumentException("jobguard: ignored table pattern '" + pattern
                                + "' would leave every table uncounted, so guarded jobs would run without limits:"
                                + " name the tables, or prefixes followed by '*' (e.g. qrtz_*)");
                    }
                    return normalized;
                })
                .toList());
    }

    private static boolean validStar(String pattern) {
        int star = pattern.indexOf('*');
        return star < 0 || star == pattern.length() - 1;
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether a normalized table name (possibly schema-qualified) matches one of the patterns. */
    public boolean matches(@Nullable String normalizedTable) {
        return matching(normalizedTable) != null;
    }

    /** The first pattern a normalized table name (possibly schema-qualified) matches, or null. */
    public @Nullable String matching(@Nullable String normalizedTable) {
        if (normalizedTable == null) {
            return null;
        }
        String table = TableNames.unqualified(normalizedTable);
        for (String pattern : patterns) {
            int last = pattern.length() - 1;
            boolean match =
                    pattern.charAt(last) == '*' ? table.regionMatches(0, pattern, 0, last) : table.equals(pattern);
            if (match) {
                return pattern;
            }
        }
        return null;
    }
}
