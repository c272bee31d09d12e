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
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Statements with their expected classification, shared by the parser and fallback tests. */
final class SqlCases {

    private SqlCases() {}

    /** What a statement must be classified as. */
    record Expected(StatementKind kind, String table, boolean returnsRows, boolean temporary) {

        void check(SqlStatementInfo info) {
            assertThat(info.kind()).as("kind of %s", info.sql()).isEqualTo(kind);
            assertThat(info.table()).as("table of %s", info.sql()).isEqualTo(table);
            assertThat(info.returnsRows()).as("returnsRows of %s", info.sql()).isEqualTo(returnsRows);
            assertThat(info.temporary()).as("temporary of %s", info.sql()).isEqualTo(temporary);
        }
    }

    private static Arguments of(String sql, StatementKind kind, String table) {
        return Arguments.of(sql, new Expected(kind, table, kind == READ, false));
    }

    private static Arguments returning(String sql, StatementKind kind, String table) {
        return Arguments.of(sql, new Expected(kind, table, true, false));
    }

    private static Arguments temporary(String sql, StatementKind kind, String table) {
        return Arguments.of(sql, new Expected(kind, table, false, true));
    }

    /** Statements JSqlParser 5.4 parses. */
    static Stream<Arguments> parseable() {
        return Stream.of(
                of("SELECT * FROM invoices", READ, null),
                of("select id from invoices where paid = false for update", READ, null),
                of("SELECT * FROM invoices FOR UPDATE SKIP LOCKED", READ, null),
                of("(SELECT 1) UNION (SELECT 2)", READ, null),
                of("VALUES (1, 2)", READ, null),
                of("SHOW TABLES", READ, null),
                of("EXPLAIN SELECT * FROM invoices", READ, null),
                of("EXPLAIN DELETE FROM invoices", READ, null),
                returning("EXPLAIN ANALYZE DELETE FROM invoices WHERE id = 1", DELETE, "invoices"),
                of("WITH x AS (SELECT 1 AS a) SELECT * FROM x", READ, null),
                of("INSERT INTO invoices (id, amount) VALUES (?, ?)", INSERT, "invoices"),
                of("INSERT INTO archive SELECT * FROM invoices WHERE paid = true", INSERT, "archive"),
                of("INSERT INTO t (id, n) VALUES (1, 2) ON DUPLICATE KEY UPDATE n = n + 1", INSERT, "t"),
                of("INSERT INTO t (id, n) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET n = excluded.n", INSERT, "t"),
                of("INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING", INSERT, "t"),
                returning("INSERT INTO t (id) VALUES (1) RETURNING id", INSERT, "t"),
                of("INSERT ALL INTO t1 (a) VALUES (1) INTO t2 (a) VALUES (2) SELECT * FROM dual", INSERT, "t1"),
                of("INSERT INTO `Billing`.`Invoices` VALUES (1)", INSERT, "billing.invoices"),
                of("UPDATE invoices SET paid = true WHERE id = ?", UPDATE, "invoices"),
                of("UPDATE \"Invoices\" SET paid = true", UPDATE, "invoices"),
                of("UPDATE public.\"Invoices\" SET paid = true", UPDATE, "public.invoices"),
                returning("UPDATE invoices SET paid = true RETURNING id", UPDATE, "invoices"),
                of(
                        "UPDATE invoices SET paid = true FROM payments p WHERE p.invoice_id = invoices.id",
                        UPDATE,
                        "invoices"),
                of("UPDATE invoices i JOIN payments p ON p.invoice_id = i.id SET i.paid = 1", UPDATE, "invoices"),
                of("UPDATE i SET paid = 1 FROM invoices i JOIN payments p ON p.invoice_id = i.id", UPDATE, "invoices"),
                of("UPDATE LOW_PRIORITY IGNORE invoices SET paid = 1", UPDATE, "invoices"),
                of("DELETE FROM invoices WHERE id = ?", DELETE, "invoices"),
                returning("DELETE FROM invoices WHERE paid RETURNING *", DELETE, "invoices"),
                of("DELETE FROM invoices USING payments p WHERE p.invoice_id = invoices.id", DELETE, "invoices"),
                of("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", DELETE, "t1"),
                of("DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id", DELETE, "t1"),
                of("DELETE i FROM invoices i JOIN payments p ON p.invoice_id = i.id", DELETE, "invoices"),
                of("MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET a = s.a", MERGE, "t"),
                of("REPLACE INTO t (id) VALUES (1)", MERGE, "t"),
                of("UPSERT INTO t (id) VALUES (1)", MERGE, "t"),
                returning("WITH d AS (DELETE FROM t WHERE a = 1 RETURNING *) SELECT count(*) FROM d", DELETE, "t"),
                returning("WITH u AS (UPDATE t SET a = 1 RETURNING id) SELECT * FROM u", UPDATE, "t"),
                returning("WITH n AS (INSERT INTO t (a) VALUES (1) RETURNING id) SELECT id FROM n", INSERT, "t"),
                of("WITH x AS (SELECT id FROM s) UPDATE t SET a = 1 WHERE id IN (SELECT id FROM x)", UPDATE, "t"),
                of(
                        "WITH d AS (UPDATE a SET x = 1 RETURNING id) DELETE FROM t WHERE id IN (SELECT id FROM d)",
                        DELETE,
                        "t"),
                of("TRUNCATE TABLE audit_log", TRUNCATE, "audit_log"),
                of("TRUNCATE audit_log", TRUNCATE, "audit_log"),
                of("DROP TABLE IF EXISTS public.\"Old_Invoices\"", DROP_TABLE, "public.old_invoices"),
                of("DROP VIEW v", DDL, null),
                temporary("DROP TEMPORARY TABLE tmp_ids", DDL, "tmp_ids"),
                of("CREATE TABLE t (id INT)", DDL, "t"),
                temporary("CREATE TEMPORARY TABLE tmp_ids (id INT)", DDL, "tmp_ids"),
                temporary("CREATE GLOBAL TEMPORARY TABLE tmp_ids (id INT)", DDL, "tmp_ids"),
                temporary("CREATE TEMP TABLE tmp_ids (id INT)", DDL, "tmp_ids"),
                temporary("SELECT * INTO #tmp FROM invoices", DDL, "#tmp"),
                of("SELECT * INTO archive FROM invoices", DDL, "archive"),
                of("CREATE INDEX idx ON t (a)", DDL, null),
                of("ALTER TABLE t ADD COLUMN c INT", DDL, "t"),
                of("RENAME TABLE a TO b", DDL, "a"),
                of("COMMENT ON TABLE t IS 'x'", DDL, null),
                of("GRANT SELECT ON t TO someone", DDL, null),
                of("CALL archive_invoices(?)", CALL, null),
                of("EXEC archive_invoices 1", CALL, null),
                of("EXECUTE archive_invoices", CALL, null),
                of("LOCK TABLE invoices IN EXCLUSIVE MODE", LOCK, "invoices"),
                of("COMMIT", TRANSACTION, null),
                of("ROLLBACK", TRANSACTION, null),
                of("SAVEPOINT s1", TRANSACTION, null),
                of("SET search_path = billing", TRANSACTION, null),
                of("USE billing", TRANSACTION, null));
    }

    /** Statements JSqlParser 5.4 rejects: only the token fallback can classify them. */
    static Stream<Arguments> unparseable() {
        return Stream.of(
                of("UPDATE TOP (10) invoices SET paid = 1", UPDATE, "invoices"),
                of("UPDATE TOP 10 PERCENT invoices SET paid = 1", UPDATE, "invoices"),
                of("UPDATE [dbo].[Invoices] SET paid = 1", UPDATE, "dbo.invoices"),
                of("DELETE FROM [Invoices] WHERE id = 1", DELETE, "invoices"),
                returning("DELETE FROM invoices OUTPUT deleted.id WHERE id = 1", DELETE, "invoices"),
                of("MERGE INTO invoices KEY(id) VALUES (1, 'x')", MERGE, "invoices"),
                of("{call archive_invoices(?)}", CALL, null),
                of("{? = call next_id(?)}", CALL, null),
                of("{?= call next_id()}", CALL, null),
                of("COPY invoices FROM STDIN", INSERT, "invoices"),
                of("COPY invoices (id, amount) FROM '/tmp/invoices.csv' WITH (FORMAT csv)", INSERT, "invoices"),
                of("COPY invoices TO STDOUT", READ, null),
                of("COPY (SELECT * FROM invoices) TO STDOUT", READ, null),
                of("LOCK TABLES invoices WRITE, payments READ", LOCK, "invoices"),
                of("LOCK TABLE ONLY invoices", LOCK, "invoices"),
                of("UNLOCK TABLES", LOCK, null),
                of("DELETE FROM ONLY invoices WHERE id = 1", DELETE, "invoices"),
                of("UPDATE ONLY invoices SET paid = 1", UPDATE, "invoices"),
                temporary("CREATE LOCAL TEMPORARY TABLE tmp_ids (id INT)", DDL, "tmp_ids"),
                temporary("SELECT * INTO TEMP tmp_ids FROM invoices", DDL, "tmp_ids"),
                of("ALTER TABLE IF EXISTS ONLY public.t ADD c INT", DDL, "public.t"),
                of("VACUUM invoices", DDL, null),
                of("DO $$ BEGIN UPDATE t SET a = 1; END $$", CALL, null),
                returning("WITH d AS (DELETE FROM ONLY t RETURNING *) SELECT count(*) FROM d", DELETE, "t"),
                of("BEGIN", TRANSACTION, null),
                of("BEGIN TRANSACTION", TRANSACTION, null),
                of("START TRANSACTION", TRANSACTION, null),
                of("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", TRANSACTION, null),
                of("RELEASE SAVEPOINT s1", TRANSACTION, null),
                of("ABORT", TRANSACTION, null),
                of("FROBNICATE the database", UNKNOWN, null));
    }
}
