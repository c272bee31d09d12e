package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqlParserTest {

    @Test
    void parametersAreCountedOutsideLiteralsQuotedNamesAndComments() {
        assertThat(SqlParser.countParameters("UPDATE t SET a = ?, \"b?\" = 'c?' WHERE d = ? -- e?\n AND f = ?"))
                .isEqualTo(3);
        assertThat(SqlParser.countParameters("SELECT ?? FROM t /* ? */ WHERE `g?` = ?"))
                .isEqualTo(1);
    }

    @Test
    void theTerminatorIsWhatFollowsTheLastToken() {
        assertThat(SqlParser.withoutTerminator("INSERT INTO t SELECT 1")).isEqualTo("INSERT INTO t SELECT 1");
        assertThat(SqlParser.withoutTerminator("INSERT INTO t SELECT 1 ;\n ")).isEqualTo("INSERT INTO t SELECT 1");
        assertThat(SqlParser.withoutTerminator("INSERT INTO t SELECT 1; -- two; more\n/* x; */ ;"))
                .isEqualTo("INSERT INTO t SELECT 1");
        assertThat(SqlParser.withoutTerminator("INSERT INTO t VALUES ('a;') -- 'b'"))
                .isEqualTo("INSERT INTO t VALUES ('a;')");
        assertThat(SqlParser.withoutTerminator("INSERT INTO \"t;\" SELECT 1 /* one */ + 1;"))
                .isEqualTo("INSERT INTO \"t;\" SELECT 1 /* one */ + 1");
    }

    @Test
    void aParseThatRunsOutOfTimeIsTriedOnceMoreWithTheLongerTimeOutWhenOneIsGiven() {
        String sql = "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?";

        assertThat(SqlParser.parseOne(sql, Duration.ofNanos(1))).isEmpty();
        assertThat(SqlParser.parseOne(sql, Duration.ofNanos(1), null)).isEmpty();
        assertThat(SqlParser.parseOne(sql, Duration.ofNanos(1), Duration.ofSeconds(30)))
                .hasValueSatisfying(
                        statement -> assertThat(statement.toString()).startsWith("UPDATE invoices"));
        assertThat(SqlParser.parseOne("UPDATE WHERE", Duration.ofNanos(1), Duration.ofSeconds(30)))
                .as("a statement that does not parse stays unparsed")
                .isEmpty();
    }
}
