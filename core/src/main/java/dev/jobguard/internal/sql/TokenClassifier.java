package dev.jobguard.internal.sql;

import static dev.jobguard.internal.sql.StatementKind.CALL;
import static dev.jobguard.internal.sql.StatementKind.DDL;
import static dev.jobguard.internal.sql.StatementKind.DELETE;
import static dev.jobguard.internal.sql.StatementKind.DROP_TABLE;
import static dev.jobguard.internal.sql.StatementKind.INSERT;
import static dev.jobguard.internal.sql.StatementKind.LOCK;
import static dev.jobguard.internal.sql.StatementKind.MERGE;
import static dev.jobguard.internal.sql.StatementKind.READ;
import static dev.jobguard.internal.sql.StatementKind.TRANSACTION;
import static dev.jobguard.internal.sql.StatementKind.TRUNCATE;
import static dev.jobguard.internal.sql.StatementKind.UNKNOWN;
import static dev.jobguard.internal.sql.StatementKind.UPDATE;

import dev.jobguard.internal.sql.SqlTokenizer.Piece;
import dev.jobguard.internal.sql.SqlTokenizer.Token;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies a statement from its tokens when the parser cannot: the first keyword gives the kind, the name after
 * INTO / UPDATE / DELETE FROM / TRUNCATE... gives the table. Used for statements JSqlParser rejects or times out on.
 */
final class TokenClassifier {

    private static final Set<String> WRITE_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");
    private static final Set<String> MAIN_STATEMENT_WORDS =
            Set.of("SELECT", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "MERGE");
    private static final Set<String> EXPLAINABLE_WORDS =
            Set.of("SELECT", "VALUES", "TABLE", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    private static final Set<String> INSERT_MODIFIERS =
            Set.of("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "OVERWRITE");
    private static final Set<String> UPDATE_MODIFIERS = Set.of("LOW_PRIORITY", "IGNORE", "ONLY");
    private static final Set<String> DELETE_MODIFIERS = Set.of("LOW_PRIORITY", "QUICK", "IGNORE");
    private static final Set<String> MERGE_MODIFIERS = Set.of("LOW_PRIORITY", "DELAYED", "INTO");
    private static final Set<String> CREATE_MODIFIERS =
            Set.of("GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED", "CACHED", "MEMORY");
    private static final Set<String> SELECT_INTO_MODIFIERS = Set.of("TEMPORARY", "TEMP", "UNLOGGED", "TABLE");
    private static final Set<String> TABLE_ONLY = Set.of("TABLE", "ONLY");
    private static final Set<String> LOCK_WORDS = Set.of("TABLE", "TABLES", "ONLY");
    private static final Set<String> ONLY = Set.of("ONLY");
    private static final Set<String> TABLE = Set.of("TABLE");
    private static final Set<String> INTO = Set.of("INTO");
    private static final Set<String> ALIAS_SOURCES = Set.of("FROM", "JOIN", "USING");
    private static final Set<String> BEGIN_TRANSACTION =
            Set.of("TRANSACTION", "WORK", "TRAN", "ISOLATION", "READ", "DEFERRED", "IMMEDIATE", "EXCLUSIVE");
    private static final Set<String> DDL_WORDS = Set.of(
            "COMMENT",
            "GRANT",
            "REVOKE",
            "ANALYZE",
            "OPTIMIZE",
            "REPAIR",
            "VACUUM",
            "REINDEX",
            "CLUSTER",
            "REFRESH",
            "PURGE",
            "FLUSH",
            "AUDIT",
            "NOAUDIT");
    private static final Set<String> TRANSACTION_WORDS =
            Set.of("START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END", "ABORT", "SET", "RESET", "USE");

    private record Name(@Nullable String value, int next) {}

    private final List<Token> tokens;

    private TokenClassifier(List<Token> tokens) {
        this.tokens = tokens;
    }

    static SqlStatementInfo classify(Piece piece) {
        return new TokenClassifier(piece.tokens()).at(0).toInfo(false, piece.text());
    }

    /** Classifies the statement that starts at token {@code i}. */
    private StatementShape at(int start) {
        int i = start;
        while (i < tokens.size() && tokens.get(i).isSymbol('(')) {
            i++; // (SELECT ...) UNION (SELECT ...)
        }
        if (i >= tokens.size()) {
            return StatementShape.of(UNKNOWN);
        }
        if (tokens.get(i).isSymbol('{')) {
            return jdbcEscape(i + 1);
        }
        String keyword = word(i);
        return switch (keyword) {
            case "SELECT" -> select(i + 1);
            case "VALUES", "TABLE", "SHOW", "DESCRIBE", "DESC" -> StatementShape.of(READ);
            case "EXPLAIN" -> explain(i + 1);
            case "ANALYZE" -> analyze(i + 1);
            case "WITH" -> with(i + 1);
            case "INSERT" -> write(INSERT, i, insertTarget(i + 1));
            case "UPDATE" -> write(UPDATE, i, resolveAlias(i, nameAt(skip(i + 1, UPDATE_MODIFIERS))));
            case "DELETE" -> write(DELETE, i, resolveAlias(i, deleteTarget(i + 1)));
            case "MERGE", "UPSERT", "REPLACE" -> write(MERGE, i, nameAt(skip(i + 1, MERGE_MODIFIERS)));
            case "TRUNCATE" -> StatementShape.on(TRUNCATE, nameAt(skipIfExists(skip(i + 1, TABLE_ONLY))));
            case "COPY" -> copy(i + 1);
            case "LOCK" -> StatementShape.on(LOCK, nameAt(skip(i + 1, LOCK_WORDS)));
            case "UNLOCK" -> StatementShape.of(LOCK);
            case "DROP" -> drop(i + 1);
            case "CREATE" -> create(i + 1);
            case "ALTER" -> alter(i + 1);
            case "RENAME" -> StatementShape.on(DDL, nameAt(skip(i + 1, TABLE)));
            case "CALL", "EXEC", "EXECUTE", "DO" -> StatementShape.of(CALL);
            case "BEGIN" ->
                StatementShape.of(isEnd(i + 1) || BEGIN_TRANSACTION.contains(word(i + 1)) ? TRANSACTION : CALL);
            case "DECLARE" -> StatementShape.of(word(i + 1).startsWith("@") ? TRANSACTION : CALL);
            default -> StatementShape.of(DDL_WORDS.contains(keyword) ? DDL : otherKind(keyword));
        };
    }

    private static StatementKind otherKind(String keyword) {
        return TRANSACTION_WORDS.contains(keyword) ? TRANSACTION : UNKNOWN;
    }

    private StatementShape write(StatementKind kind, int start, @Nullable String table) {
        return new StatementShape(kind, table, false, returnsRows(start));
    }

    /** {@code {call p(?)}}, {@code {? = call f(?)}}. */
    private StatementShape jdbcEscape(int i) {
        for (int k = i; k < Math.min(i + 4, tokens.size()); k++) {
            if (is(k, "CALL")) {
                return StatementShape.of(CALL);
            }
        }
        return StatementShape.of(UNKNOWN);
    }

    /** MariaDB's {@code ANALYZE UPDATE ...} runs the statement and returns its plan; other ANALYZE are DDL. */
    private StatementShape analyze(int i) {
        StatementShape inner = EXPLAINABLE_WORDS.contains(word(i)) ? at(i) : StatementShape.of(DDL);
        return inner.kind().isWrite() && inner.kind() != DDL ? inner.returningRows() : StatementShape.of(DDL);
    }

    /**
     * SELECT is a read unless it is {@code SELECT ... INTO new_table}, which creates a table, or selects from a data
     * change delta table ({@code FINAL|OLD|NEW TABLE (UPDATE ...)}, H2 and DB2), which runs the write.
     */
    private StatementShape select(int i) {
        for (int k = i; k + 3 < tokens.size(); k++) {
            if ((is(k, "FINAL") || is(k, "OLD") || is(k, "NEW"))
                    && is(k + 1, "TABLE")
                    && tokens.get(k + 2).isSymbol('(')
                    && WRITE_WORDS.contains(word(k + 3))) {
                return at(k + 3).returningRows();
            }
        }
        for (int k = firstTopLevel(i); k >= 0 && !is(k, "FROM"); k = nextTopLevel(k)) {
            if (is(k, "INTO")) {
                return selectInto(k + 1);
            }
        }
        return StatementShape.of(READ);
    }

    private StatementShape selectInto(int i) {
        boolean temporary = false;
        int k = i;
        while (SELECT_INTO_MODIFIERS.contains(word(k))) {
            temporary |= word(k).startsWith("TEMP");
            k++;
        }
        Name name = name(k);
        if (name == null || is(k, "OUTFILE") || is(k, "DUMPFILE")) {
            return StatementShape.of(READ);
        }
        String table = name.value();
        if (table == null) {
            return StatementShape.of(UNKNOWN); // a name that normalizes to nothing (INTO ""): no table known
        }
        if (table.startsWith("@")) {
            return StatementShape.of(READ);
        }
        return new StatementShape(DDL, table, temporary || TableNames.isTransactSqlTemporary(table), false);
    }

    /** EXPLAIN ANALYZE runs the statement it explains. */
    private StatementShape explain(int i) {
        int statement = findTopLevel(i, EXPLAINABLE_WORDS);
        if (statement < 0) {
            return StatementShape.of(READ);
        }
        for (int k = i; k < statement; k++) {
            if (is(k, "ANALYZE")) {
                StatementShape inner = at(statement);
                return inner.kind().isWrite() ? inner.returningRows() : StatementShape.of(READ);
            }
        }
        return StatementShape.of(READ);
    }

    /** The main statement after the WITH items decides; a write inside a WITH item of a SELECT counts too. */
    private StatementShape with(int i) {
        int main = findTopLevel(i, MAIN_STATEMENT_WORDS);
        if (main >= 0 && WRITE_WORDS.contains(word(main))) {
            return at(main);
        }
        int end = main < 0 ? tokens.size() : main;
        for (int k = i; k + 1 < end; k++) {
            if (tokens.get(k).isSymbol('(') && WRITE_WORDS.contains(word(k + 1))) {
                return at(k + 1).returningRows();
            }
        }
        return StatementShape.of(main < 0 ? UNKNOWN : READ);
    }

    /** {@code INSERT [modifiers] [INTO] t}, Oracle {@code INSERT ALL INTO t1 ... INTO t2} (the first). */
    private @Nullable String insertTarget(int i) {
        int into = findTopLevel(i, INTO);
        int k = into >= 0 ? into + 1 : skip(i, INSERT_MODIFIERS);
        return nameAt(skip(k, TABLE));
    }

    /** {@code DELETE [modifiers] FROM [ONLY] t}, T-SQL {@code DELETE t}, MySQL {@code DELETE t1, t2 FROM ...}. */
    private @Nullable String deleteTarget(int i) {
        int k = skip(i, DELETE_MODIFIERS);
        return is(k, "FROM") ? nameAt(skip(k + 1, ONLY)) : nameAt(k);
    }

    /** {@code COPY t FROM ...} loads rows; {@code COPY t TO ...} and {@code COPY (query) TO ...} read. */
    private StatementShape copy(int i) {
        if (i < tokens.size() && tokens.get(i).isSymbol('(')) {
            return StatementShape.of(READ);
        }
        Name name = name(i);
        if (name == null) {
            return StatementShape.of(UNKNOWN);
        }
        int k = name.next();
        if (k < tokens.size() && tokens.get(k).isSymbol('(')) {
            k = afterParens(k);
        }
        if (is(k, "FROM")) {
            return StatementShape.on(INSERT, name.value());
        }
        return is(k, "TO") ? StatementShape.of(READ) : StatementShape.of(UNKNOWN);
    }

    private StatementShape drop(int i) {
        if (is(i, "TEMPORARY") && is(i + 1, "TABLE")) {
            return new StatementShape(DDL, nameAt(skipIfExists(i + 2)), true, false);
        }
        if (!is(i, "TABLE")) {
            return StatementShape.of(DDL);
        }
        String table = nameAt(skipIfExists(i + 1));
        return TableNames.isTransactSqlTemporary(table)
                ? new StatementShape(DDL, table, true, false)
                : StatementShape.on(DROP_TABLE, table);
    }

    private StatementShape create(int i) {
        int k = is(i, "OR") && is(i + 1, "REPLACE") ? i + 2 : i;
        boolean temporary = false;
        while (CREATE_MODIFIERS.contains(word(k))) {
            temporary |= word(k).startsWith("TEMP");
            k++;
        }
        if (!is(k, "TABLE")) {
            return StatementShape.of(DDL);
        }
        String table = nameAt(skipIfExists(k + 1));
        return new StatementShape(DDL, table, temporary || TableNames.isTransactSqlTemporary(table), false);
    }

    private StatementShape alter(int i) {
        if (is(i, "SESSION")) {
            return StatementShape.of(TRANSACTION);
        }
        return is(i, "TABLE")
                ? StatementShape.on(DDL, nameAt(skip(skipIfExists(i + 1), ONLY)))
                : StatementShape.of(DDL);
    }

    /** RETURNING (or T-SQL {@code OUTPUT inserted.x}) at the statement's own nesting level. */
    private boolean returnsRows(int start) {
        for (int k = firstTopLevel(start); k >= 0; k = nextTopLevel(k)) {
            if (is(k, "RETURNING") || (is(k, "OUTPUT") && (is(k + 1, "INSERTED") || is(k + 1, "DELETED")))) {
                return true;
            }
        }
        return false;
    }

    /** Resolves a target that is an alias ({@code UPDATE a ... FROM invoices a}) to the aliased table. */
    private @Nullable String resolveAlias(int start, @Nullable String target) {
        if (target == null || target.contains(".")) {
            return target;
        }
        for (int k = firstTopLevel(start); k >= 0; k = nextTopLevel(k)) {
            if (!ALIAS_SOURCES.contains(word(k))) {
                continue;
            }
            Name source = name(skip(k + 1, ONLY));
            if (source == null) {
                continue;
            }
            int alias = is(source.next(), "AS") ? source.next() + 1 : source.next();
            if (alias < tokens.size()
                    && tokens.get(alias).isName()
                    && target.equals(TableNames.normalize(tokens.get(alias).text()))) {
                return source.value();
            }
        }
        return target;
    }

    // ---- token helpers

    /** The upper-cased word at {@code i}, or "" when {@code i} is past the end or not a word. */
    private String word(int i) {
        return i < tokens.size() && tokens.get(i).type() == SqlTokenizer.Type.WORD
                ? tokens.get(i).text().toUpperCase(Locale.ROOT)
                : "";
    }

    private boolean isEnd(int i) {
        return i >= tokens.size();
    }

    private boolean is(int i, String keyword) {
        return i < tokens.size() && tokens.get(i).is(keyword);
    }

    /** Skips the given keywords and T-SQL {@code TOP (n) [PERCENT]} / {@code TOP n}. */
    private int skip(int i, Set<String> words) {
        int k = i;
        while (k < tokens.size()) {
            if (words.contains(word(k))) {
                k++;
            } else if (is(k, "TOP")
                    && k + 1 < tokens.size()
                    && tokens.get(k + 1).isSymbol('(')) {
                k = afterParens(k + 1);
            } else if (is(k, "TOP")
                    && !word(k + 1).isEmpty()
                    && Character.isDigit(word(k + 1).charAt(0))) {
                k += 2;
            } else if (is(k, "PERCENT") && k > i) {
                k++;
            } else {
                return k;
            }
        }
        return k;
    }

    private int skipIfExists(int i) {
        int k = i;
        if (is(k, "IF")) {
            k++;
            if (is(k, "NOT")) {
                k++;
            }
            if (is(k, "EXISTS")) {
                k++;
            }
        }
        return k;
    }

    /** The possibly qualified name ({@code a.b.c}) at {@code i}, normalized, or null. */
    private @Nullable Name name(int i) {
        if (i >= tokens.size() || !tokens.get(i).isName()) {
            return null;
        }
        StringBuilder name = new StringBuilder(tokens.get(i).text());
        int k = i + 1;
        while (k + 1 < tokens.size()
                && tokens.get(k).isSymbol('.')
                && tokens.get(k + 1).isName()) {
            name.append('.').append(tokens.get(k + 1).text());
            k += 2;
        }
        return new Name(TableNames.normalize(name.toString()), k);
    }

    private @Nullable String nameAt(int i) {
        Name name = name(i);
        return name == null ? null : name.value();
    }

    /** The index after the parenthesis group opened at {@code open}. */
    private int afterParens(int open) {
        int depth = 0;
        for (int k = open; k < tokens.size(); k++) {
            if (tokens.get(k).isSymbol('(')) {
                depth++;
            } else if (tokens.get(k).isSymbol(')') && --depth == 0) {
                return k + 1;
            }
        }
        return tokens.size();
    }

    /**
     * Iteration over the tokens at the nesting level of {@code start}: {@code firstTopLevel} and
     * {@code nextTopLevel} skip parenthesized groups and return -1 at the end or at the ')' closing the level.
     */
    private int firstTopLevel(int start) {
        return start < tokens.size() && !tokens.get(start).isSymbol(')') ? start : -1;
    }

    private int nextTopLevel(int k) {
        return firstTopLevel(tokens.get(k).isSymbol('(') ? afterParens(k) : k + 1);
    }

    private int findTopLevel(int start, Set<String> words) {
        for (int k = firstTopLevel(start); k >= 0; k = nextTopLevel(k)) {
            if (words.contains(word(k))) {
                return k;
            }
        }
        return -1;
    }
}
