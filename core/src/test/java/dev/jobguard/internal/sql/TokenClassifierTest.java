package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.internal.sql.SqlCases.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenClassifierTest {

    private static SqlStatementInfo fallback(String sql) {
        return TokenClassifier.classify(SqlTokenizer.split(sql).get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jobguard.internal.sql.SqlCases#parseable")
    void agreesWithTheParserOnStatementsItCanParse(String sql, Expected expected) {
        SqlStatementInfo info = fallback(sql);

        assertThat(info.parsed()).isFalse();
        expected.check(info);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jobguard.internal.sql.SqlCases#unparseable")
    void classifiesStatementsTheParserRejects(String sql, Expected expected) {
        expected.check(fallback(sql));
    }

    @Test
    void ignoresKeywordsInsideCommentsAndStrings() {
        SqlStatementInfo info = fallback("/* DELETE FROM x */ -- TRUNCATE y\n SELECT 'DROP TABLE z' FROM t");

        assertThat(info.kind()).isEqualTo(StatementKind.READ);
    }

    @Test
    void returningInsideAWithItemDoesNotMakeTheMainWriteReturnRows() {
        SqlStatementInfo info = fallback("WITH d AS (DELETE FROM a RETURNING id) INSERT INTO b SELECT id FROM d");

        assertThat(info.kind()).isEqualTo(StatementKind.INSERT);
        assertThat(info.table()).isEqualTo("b");
        assertThat(info.returnsRows()).isFalse();
    }

    @Test
    void aBeginFollowedByStatementsIsAnAnonymousBlock() {
        assertThat(fallback("BEGIN UPDATE t SET a = 1").kind()).isEqualTo(StatementKind.CALL);
        assertThat(fallback("DECLARE x NUMBER").kind()).isEqualTo(StatementKind.CALL);
        assertThat(fallback("DECLARE @x INT").kind()).isEqualTo(StatementKind.TRANSACTION);
    }

    @Test
    void selectIntoVariablesOrFilesIsARead() {
        assertThat(fallback("SELECT a INTO @x FROM t").kind()).isEqualTo(StatementKind.READ);
        assertThat(fallback("SELECT a INTO OUTFILE '/tmp/a' FROM t").kind()).isEqualTo(StatementKind.READ);
        assertThat(fallback("SELECT a FROM t INTO @x").kind()).isEqualTo(StatementKind.READ);
    }

    @Test
    void explainWithoutAnalyzeDoesNotRunTheWrite() {
        assertThat(fallback("EXPLAIN (COSTS OFF) DELETE FROM t").kind()).isEqualTo(StatementKind.READ);
        assertThat(fallback("EXPLAIN (ANALYZE, COSTS OFF) DELETE FROM t").kind())
                .isEqualTo(StatementKind.DELETE);
    }

    @Test
    void transactSqlTemporaryTablesAreTemporary() {
        SqlStatementInfo created = fallback("CREATE TABLE #ids (id INT)");
        SqlStatementInfo dropped = fallback("DROP TABLE #ids");

        assertThat(created.temporary()).isTrue();
        assertThat(dropped.kind()).isEqualTo(StatementKind.DDL);
        assertThat(dropped.temporary()).isTrue();
    }
}
