package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.jobguard.internal.sql.SqlCases.Expected;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlClassifierTest {

    private final SqlClassifier classifier = new SqlClassifier(1024, Duration.ofSeconds(10));

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jobguard.internal.sql.SqlCases#parseable")
    void classifiesParseableStatementsWithTheParser(String sql, Expected expected) {
        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.isMultiStatement()).isFalse();
        assertThat(classified.first().parsed()).isTrue();
        assertThat(classified.first().sql()).isEqualTo(sql);
        expected.check(classified.first());
    }

    @Test
    void mySqlHashCommentsTheParserRejectsDoNotHideTheTable() {
        assertThat(classifier
                        .classify("UPDATE # note\n`fz_a` SET v = v + 1 WHERE id < 9")
                        .first())
                .satisfies(info -> assertThat(info.table()).isEqualTo("fz_a"))
                .satisfies(info -> assertThat(info.kind()).isEqualTo(StatementKind.UPDATE));
        assertThat(classifier
                        .classify("# note\nUPDATE fz_b b JOIN fz_a t ON t.id = b.a_id SET t.v = t.v + 1")
                        .first()
                        .table())
                .isEqualTo("fz_a");
        assertThat(SqlClassifier.withoutHashComments("SELECT * FROM #temp WHERE a = '# not a comment'"))
                .as("a T-SQL temporary table and a '#' in a string are kept")
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "INSERT INTO audit_log (id, note) VALUES (?, ?)",
                "insert into audit_log values (1, 'a')",
                "INSERT INTO t (a) VALUES (1) RETURNING id",
                "INSERT INTO t SET a = 1, b = 2",
                "INSERT INTO t (a, b) VALUES ((1), 2)"
            })
    void singleRowInsertsAreKnownToChangeOneRow(String sql) {
        assertThat(classifier.classify(sql).first().changesOneRow()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "INSERT INTO t (a) VALUES (1), (2)",
                "INSERT INTO t (a, b) VALUES (1, 2), (3, 4)",
                "INSERT INTO t (a) SELECT a FROM s",
                "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING",
                "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2",
                "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2",
                "INSERT IGNORE INTO t (a) VALUES (1)",
                "INSERT INTO t (a, b) VALUES ((1), (2))",
                "WITH s AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM s",
                "UPDATE t SET a = 1 WHERE id = ?",
                "DELETE FROM t WHERE id = ?",
                "MERGE INTO t USING s ON (t.id = s.id) WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)"
            })
    void otherWritesAreNotKnownToChangeOneRow(String sql) {
        assertThat(classifier.classify(sql).statements())
                .noneMatch(dev.jobguard.internal.sql.SqlStatementInfo::changesOneRow);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jobguard.internal.sql.SqlCases#unparseable")
    void classifiesStatementsTheParserRejectsThroughTheFallback(String sql, Expected expected) {
        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.isMultiStatement()).isFalse();
        assertThat(classified.first().parsed()).isFalse();
        assertThat(classified.first().sql()).isEqualTo(sql);
        expected.check(classified.first());
    }

    @Test
    void splitsMultiStatementStringsAndClassifiesEachStatement() {
        ClassifiedSql classified = classifier.classify("UPDATE a SET x = 1; DELETE FROM b WHERE y = 2");

        assertThat(classified.isMultiStatement()).isTrue();
        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind, SqlStatementInfo::table, SqlStatementInfo::sql)
                .containsExactly(
                        tuple(StatementKind.UPDATE, "a", "UPDATE a SET x = 1"),
                        tuple(StatementKind.DELETE, "b", "DELETE FROM b WHERE y = 2"));
        assertThat(classified.statements()).allMatch(SqlStatementInfo::parsed);
    }

    @Test
    void mixesParsedAndFallbackStatementsInOneString() {
        ClassifiedSql classified =
                classifier.classify("UPDATE TOP (5) a SET x = 1; DELETE FROM b; COPY c FROM STDIN; SELECT 1");

        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind, SqlStatementInfo::table, SqlStatementInfo::parsed)
                .containsExactly(
                        tuple(StatementKind.UPDATE, "a", false),
                        tuple(StatementKind.DELETE, "b", true),
                        tuple(StatementKind.INSERT, "c", false),
                        tuple(StatementKind.READ, null, true));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "UPDATE a SET x = 1;",
                "UPDATE a SET x = 1 ;  ",
                "UPDATE a SET x = 1;;\n;",
                "UPDATE a SET x = 1; -- done",
                "UPDATE a SET x = 1; /* done */",
                "  UPDATE a SET x = 1  "
            })
    void trailingSemicolonsAndCommentsDoNotMakeAMultiStatement(String sql) {
        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.isMultiStatement()).isFalse();
        assertThat(classified.first().sql()).isEqualTo("UPDATE a SET x = 1");
        assertThat(classified.first().parsed()).isTrue();
    }

    @Test
    void semicolonsInsideQuotesDoNotSplit() {
        ClassifiedSql classified = classifier.classify(
                "UPDATE t SET a = 'x;y', \"b;c\" = $$p;q$$, d = $tag$r;s$tag$; DELETE FROM u WHERE e = 'it''s;'");

        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind)
                .containsExactly(StatementKind.UPDATE, StatementKind.DELETE);
    }

    @Test
    void transactionControlAroundWritesIsClassifiedPerStatement() {
        ClassifiedSql classified = classifier.classify("BEGIN; UPDATE t SET a = 1; COMMIT");

        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind)
                .containsExactly(StatementKind.TRANSACTION, StatementKind.UPDATE, StatementKind.TRANSACTION);
        assertThat(classified.isWrite()).isTrue();
        assertThat(classified.returnsRows()).isFalse();
    }

    @Test
    void aBlockWithInnerSemicolonsIsOneProceduralStatement() {
        String sql = "BEGIN UPDATE t SET a = 1; DELETE FROM u; END";

        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.isMultiStatement()).isFalse();
        assertThat(classified.first().kind()).isEqualTo(StatementKind.CALL);
        assertThat(classified.first().sql()).isEqualTo(sql);
    }

    @Test
    void aggregatesWriteAndRowsOverAllStatements() {
        ClassifiedSql classified = classifier.classify("SELECT 1; DELETE FROM t");

        assertThat(classified.first().kind()).isEqualTo(StatementKind.READ);
        assertThat(classified.isWrite()).isTrue();
        assertThat(classified.returnsRows()).isTrue();
    }

    @Test
    void readsAreNotWritesAndReturnRows() {
        ClassifiedSql classified = classifier.classify("SELECT * FROM t WHERE id = ?");

        assertThat(classified.isWrite()).isFalse();
        assertThat(classified.returnsRows()).isTrue();
    }

    @Test
    void nullSqlIsOneUnknownStatement() {
        ClassifiedSql classified = classifier.classify(null);

        assertThat(classified.statements()).hasSize(1);
        assertThat(classified.first().kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(classified.first().sql()).isEmpty();
        assertThat(classified.isWrite()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t", ";", " ; ; ", "-- nothing here", "/* nothing */"})
    void blankSqlIsOneReadWithoutRows(String sql) {
        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.statements()).hasSize(1);
        assertThat(classified.first().kind()).isEqualTo(StatementKind.READ);
        assertThat(classified.first().sql()).isEmpty();
        assertThat(classified.isWrite()).isFalse();
        assertThat(classified.returnsRows()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "UPDATE t SET a = 'unterminated",
                "DELETE FROM \"unterminated",
                "INSERT INTO [unterminated",
                "SELECT $$ never closed",
                "UPDATE t SET a = /* unterminated comment",
                "))))((((",
                "{",
                "{?",
                "WITH",
                "WITH x AS (",
                "INSERT",
                "UPDATE",
                "DELETE FROM",
                "COPY",
                "DROP TABLE",
                "CREATE TEMPORARY",
                "EXPLAIN ANALYZE",
                "SELECT * INTO",
                "UPDATE TOP (",
                "\u0000\uffff\ud800"
            })
    void neverThrowsOnMalformedSql(String sql) {
        assertThatCode(() -> classifier.classify(sql)).doesNotThrowAnyException();
        assertThat(classifier.classify(sql).statements()).isNotEmpty();
    }

    @Test
    void neverThrowsOnDeeplyNestedParentheses() {
        String sql = "UPDATE t SET a = " + "(".repeat(50_000) + "1" + ")".repeat(50_000);

        ClassifiedSql classified = classifier.classify(sql);

        assertThat(classified.first().kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(classified.first().table()).isEqualTo("t");
    }

    @Test
    void neverThrowsOnRandomGarbage() {
        Random random = new Random(42);
        String alphabet = "abcSELECTUPDATEINSERTDELETEWITHINTOFROM ;,.()[]{}'\"`$?=*-/#@\n\t0123456789";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(80);
            for (int j = 0; j < length; j++) {
                sql.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sql.toString();
            assertThatCode(() -> classifier.classify(text)).as(text).doesNotThrowAnyException();
        }
    }

    @Test
    void rejectsInvalidConstructorArguments() {
        assertThatThrownBy(() -> new SqlClassifier(-1, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCacheEntries");
        assertThatThrownBy(() -> new SqlClassifier(1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parseTimeout");
        assertThatThrownBy(() -> new SqlClassifier(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parseTimeout");
        assertThatThrownBy(() -> new SqlClassifier(1, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parseTimeout");
    }

    @Test
    void acceptsExtremeButValidArguments() {
        SqlClassifier noCache = new SqlClassifier(0, Duration.ofDays(365 * 1000L));

        assertThat(noCache.classify("DELETE FROM t").first().kind()).isEqualTo(StatementKind.DELETE);
        assertThat(noCache.cachedEntries()).isZero();
    }

    @Test
    void defaultsMatchTheDocumentedConstants() {
        assertThat(SqlClassifier.DEFAULT_CACHE_ENTRIES).isEqualTo(4096);
        assertThat(SqlClassifier.DEFAULT_PARSE_TIMEOUT).isEqualTo(Duration.ofMillis(200));
        assertThat(SqlClassifier.withDefaults()
                        .classify("DELETE FROM t")
                        .first()
                        .kind())
                .isEqualTo(StatementKind.DELETE);
    }

    @Test
    void aHashCommentBeforeAStatementDoesNotHideIt() {
        ClassifiedSql classified = classifier.classify("# nightly\nUPDATE invoices SET s = 1; #two\nDELETE FROM b");

        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind, SqlStatementInfo::table)
                .containsExactly(tuple(StatementKind.UPDATE, "invoices"), tuple(StatementKind.DELETE, "b"));
        assertThat(classifier.classify("UPDATE #tmp SET a = 1").first().table()).isEqualTo("#tmp");
    }

    @Test
    void nestedBlockCommentsEndWhereTheOutermostCloses() {
        SqlStatementInfo with = classifier
                .classify("/* a /* b */ c */ WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d")
                .first();

        assertThat(with.kind()).isEqualTo(StatementKind.DELETE);
        assertThat(with.table()).isEqualTo("t");
        assertThat(with.returnsRows()).isTrue();
        assertThat(with.returnsChangedRows()).isFalse();
        // MySQL does not nest: an unclosed outer comment ends at the first close, hiding nothing after it
        assertThat(classifier
                        .classify("/* a /* b */ UPDATE t SET x = 1")
                        .first()
                        .kind())
                .isEqualTo(StatementKind.UPDATE);
    }

    @Test
    void onlyAWriteThatReturnsItsOwnRowsCountsThemAsItsChanges() {
        assertThat(classifier
                        .classify("/* c */ DELETE FROM t RETURNING id")
                        .first()
                        .returnsChangedRows())
                .isTrue();
        assertThat(classifier
                        .classify("-- c\nWITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d")
                        .first()
                        .returnsChangedRows())
                .isFalse();
        assertThat(classifier.classify("EXPLAIN ANALYZE DELETE FROM t").first().returnsChangedRows())
                .isFalse();
        assertThat(classifier.classify("SELECT * FROM t").first().returnsChangedRows())
                .isFalse();
    }

    @Test
    void aSelectFromADataChangeDeltaTableIsTheWriteItWraps() {
        for (String sql : new String[] {
            "SELECT id FROM FINAL TABLE (UPDATE t SET a = 1)",
            "SELECT COUNT(*) FROM OLD TABLE (DELETE FROM t)",
            "SELECT x.id FROM u JOIN NEW TABLE (INSERT INTO t SELECT * FROM v) x ON x.id = u.id"
        }) {
            SqlStatementInfo info = classifier.classify(sql).first();
            assertThat(info.kind().isWrite()).as(sql).isTrue();
            assertThat(info.table()).as(sql).isEqualTo("t");
            assertThat(info.returnsRows()).as(sql).isTrue();
            assertThat(info.returnsChangedRows()).as(sql).isFalse();
        }
    }

    @Test
    void mariaDbAnalyzeOfAWriteIsTheWriteReturningItsPlan() {
        SqlStatementInfo info =
                classifier.classify("ANALYZE UPDATE t SET a = 1").first();

        assertThat(info.kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(info.returnsChangedRows()).isFalse();
        assertThat(classifier.classify("ANALYZE t").first().kind()).isEqualTo(StatementKind.DDL);
    }
}
