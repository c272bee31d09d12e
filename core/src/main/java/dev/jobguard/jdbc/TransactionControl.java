package dev.jobguard.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a transaction-control statement sent as SQL text does to the connection's open transaction. */
enum TransactionControl {
    /** COMMIT, END: commits it. */
    COMMIT(true),
    /** ROLLBACK, ABORT: rolls all of it back. */
    ROLLBACK(true),
    /** BEGIN, START TRANSACTION: MySQL, MariaDB and H2 commit the open one first (PostgreSQL warns). */
    BEGIN(true),
    /** SET autocommit = 1 (MySQL, MariaDB), SET AUTOCOMMIT TRUE (H2): commits it. */
    AUTOCOMMIT_ON(true),
    /** SAVEPOINT name. */
    SAVEPOINT(false),
    /** ROLLBACK TO [SAVEPOINT] name: undoes what followed the savepoint, the transaction goes on. */
    ROLLBACK_TO_SAVEPOINT(false),
    /** Anything else (RELEASE SAVEPOINT, SET, USE, ...): the transaction goes on as it was. */
    OTHER(false);

    private static final Pattern AUTOCOMMIT_ON_SQL = Pattern.compile(
            "SET\\s+(SESSION\\s+|@@SESSION\\.|@@|LOCAL\\s+)?AUTOCOMMIT\\s*(=|\\s|TO\\s)\\s*'?(1|ON|TRUE)'?\\s*;?\\s*");
    private static final Pattern TO = Pattern.compile("\\sTO\\s");

    private final boolean endsTransaction;

    TransactionControl(boolean endsTransaction) {
        this.endsTransaction = endsTransaction;
    }

    /** Whether the open transaction ends with it: committed, rolled back, or committed by a new one. */
    boolean endsTransaction() {
        return endsTransaction;
    }

    /** What a statement the classifier found to be transaction or session control does. */
    static TransactionControl of(String sql) {
        String text = sql.strip().toUpperCase(Locale.ROOT);
        String first = text.split("[\\s;(]+", 2)[0];
        return switch (first) {
            case "COMMIT", "END" -> COMMIT;
            case "ROLLBACK", "ABORT" -> TO.matcher(text + ' ').find() ? ROLLBACK_TO_SAVEPOINT : ROLLBACK;
            case "BEGIN", "START" -> BEGIN;
            case "SAVEPOINT" -> SAVEPOINT;
            case "SET" -> AUTOCOMMIT_ON_SQL.matcher(text).matches() ? AUTOCOMMIT_ON : OTHER;
            default -> OTHER;
        };
    }
}
