package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.internal.sql.SqlTokenizer.Piece;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTokenizerTest {

    private static List<String> texts(String sql) {
        return SqlTokenizer.split(sql).stream().map(Piece::text).toList();
    }

    @Test
    void splitsOnSemicolonsBetweenStatements() {
        assertThat(texts("SELECT 1; SELECT 2 ;\nSELECT 3")).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void dropsEmptyAndCommentOnlyStatements() {
        assertThat(texts(";; SELECT 1; ; -- trailing\n /* block */ ;")).containsExactly("SELECT 1");
        assertThat(texts("  -- only a comment")).isEmpty();
    }

    @Test
    void keepsCommentsInsideAStatementText() {
        assertThat(texts("/* job=archive */ UPDATE t SET a = 1 -- why\n; SELECT 1"))
                .containsExactly("/* job=archive */ UPDATE t SET a = 1 -- why", "SELECT 1");
    }

    @Test
    void doesNotSplitInsideQuotesBracketsOrDollarQuotes() {
        assertThat(texts("SELECT 'a;b', 'it''s;', \"c;d\", `e;f`, [g;h], $$i;j$$, $x$k;l$x$ FROM t; SELECT 2"))
                .hasSize(2);
    }

    @Test
    void doesNotSplitInsideComments() {
        assertThat(texts("SELECT 1 /* a; b */ FROM t -- c; d\n WHERE 1 = 1")).hasSize(1);
    }

    @Test
    void positionalDollarParametersAreNotDollarQuotes() {
        assertThat(texts("UPDATE t SET a = $1 WHERE b = $2; DELETE FROM u")).hasSize(2);
    }

    @Test
    void unterminatedQuotesRunToTheEnd() {
        assertThat(texts("SELECT 'abc; DELETE FROM t")).containsExactly("SELECT 'abc; DELETE FROM t");
        assertThat(texts("SELECT $$abc; DELETE FROM t")).hasSize(1);
        assertThat(texts("SELECT 1 /* abc; DELETE FROM t")).hasSize(1);
    }

    @Test
    void reportsParenthesisNesting() {
        assertThat(SqlTokenizer.split("SELECT ((1)), (2)").get(0).nesting()).isEqualTo(2);
        assertThat(SqlTokenizer.split("SELECT '((('").get(0).nesting()).isZero();
    }
}
