package dev.jobguard.journal;

import java.util.Locale;
import java.util.Set;

/** A column of a journaled table: its name as the database reports it, and its type. */
record Column(String name, int jdbcType, String typeName, ValueCodec.Kind kind) {

    private static final Set<String> POSTGRES_TEXT = Set.of("varchar", "text", "bpchar", "char", "name");

    static Column of(String name, int jdbcType, String typeName) {
        return new Column(name, jdbcType, typeName, ValueCodec.Kind.of(jdbcType, typeName));
    }

    /** Whether PostgreSQL accepts a plain string parameter for it (not an enum or domain). */
    boolean plainPostgresText() {
        return typeName != null && POSTGRES_TEXT.contains(typeName.toLowerCase(Locale.ROOT));
    }
}
