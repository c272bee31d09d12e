package dev.jobguard.internal.journal;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A column of a journaled table: its name as the database reports it, its type, and what the database writes into it
 * by itself.
 *
 * @param generated the database computes it from other columns ({@code GENERATED ALWAYS AS (...)}, MariaDB's virtual
 *     and persistent columns): never written, so a revert leaves it to the database
 * @param autoUpdated the database sets it on every UPDATE of the row ({@code ON UPDATE CURRENT_TIMESTAMP}): an
 *     UPDATE's images hold it, so that a revert puts back its value too
 * @param storedAs the SQL type an expression is cast to so that it becomes the value this column stores ({@link
 *     StoredTypes}): "" when the column stores what it is given, null when no cast is known to be exact (the
 *     after-image is then read back from the row)
 */
public record Column(
        String name,
        int jdbcType,
        @Nullable String typeName,
        ValueCodec.Kind kind,
        boolean generated,
        boolean autoUpdated,
        @Nullable String storedAs) {

    private static final Set<String> POSTGRES_TEXT = Set.of("varchar", "text", "bpchar", "char", "name");

    static Column of(String name, int jdbcType, @Nullable String typeName) {
        return new Column(name, jdbcType, typeName, ValueCodec.Kind.of(jdbcType, typeName), false, false, null);
    }

    Column with(boolean generated, boolean autoUpdated, @Nullable String storedAs) {
        return new Column(name, jdbcType, typeName, kind, generated, autoUpdated, storedAs);
    }

    /** The expression as this column would store it, or null when no exact cast is known. */
    @Nullable
    String asStored(String expression) {
        if (storedAs == null) {
            return null;
        }
        return storedAs.isEmpty() ? "(" + expression + ")" : "CAST((" + expression + ") AS " + storedAs + ")";
    }

    /** Whether PostgreSQL accepts a plain string parameter for it (not an enum or domain). */
    boolean plainPostgresText() {
        return typeName != null && POSTGRES_TEXT.contains(typeName.toLowerCase(Locale.ROOT));
    }
}
