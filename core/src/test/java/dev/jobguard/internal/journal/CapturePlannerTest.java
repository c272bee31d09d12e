package dev.jobguard.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.journal.CapturePlan.Operation;
import dev.jobguard.internal.journal.CapturePlan.ValueSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturePlannerTest {

    private static CapturePlan plan(String sql) {
        return CapturePlanner.create(sql, "t");
    }

    @Test
    void updateBecomesASelectOfItsWhereWithTheWhereParametersOnly() {
        CapturePlan plan = plan("UPDATE invoices i SET status = ?, amount = amount + ? WHERE i.due_date < ? AND"
                + " i.status = 'OPEN?' AND customer_id IN (SELECT id FROM customers WHERE region = ?)");

        assertThat(plan.operation()).isEqualTo(Operation.UPDATE);
        assertThat(plan.table()).isEqualTo("invoices");
        assertThat(plan.select())
                .startsWith("SELECT * FROM invoices i WHERE i.due_date < ?")
                .contains("'OPEN?'");
        assertThat(plan.parameters()).containsExactly(3, 4);
        assertThat(plan.setColumns()).containsExactly("status", "amount");
    }

    @Test
    void deleteKeepsOrderByAndLimitWithTheirParameters() {
        CapturePlan plan = plan("DELETE FROM jobs WHERE state = ? ORDER BY created LIMIT ?");

        assertThat(plan.operation()).isEqualTo(Operation.DELETE);
        assertThat(plan.select()).isEqualTo("SELECT * FROM jobs WHERE state = ? ORDER BY created LIMIT ?");
        assertThat(plan.parameters()).containsExactly(1, 2);
    }

    @Test
    void updateWithoutWhereSelectsTheWholeTable() {
        assertThat(plan("UPDATE public.invoices SET status = 'X'").select()).isEqualTo("SELECT * FROM public.invoices");
    }

    @Test
    void insertValuesTellWhereEachRowsValuesComeFrom() {
        CapturePlan plan = plan("INSERT INTO lines (invoice_id, line_no, note) VALUES (?, 1, ?), (7, ?, upper(?))");

        assertThat(plan.operation()).isEqualTo(Operation.INSERT);
        assertThat(plan.insertColumns()).containsExactly("invoice_id", "line_no", "note");
        assertThat(plan.rows()).hasSize(2);
        assertThat(plan.rows().get(0))
                .containsExactly(ValueSource.parameter(1), ValueSource.literal(1L), ValueSource.parameter(2));
        assertThat(plan.rows().get(1))
                .containsExactly(ValueSource.literal(7L), ValueSource.parameter(3), ValueSource.COMPUTED);
    }

    @Test
    void insertSelectHasNoRowsItsKeysComeFromTheDriver() {
        CapturePlan plan = plan("INSERT INTO archive (id, note) SELECT id, note FROM notes WHERE old = ?");

        assertThat(plan.operation()).isEqualTo(Operation.INSERT);
        assertThat(plan.rows()).isEmpty();
    }

    @Test
    void writesThatCannotBeReadFirstAreGaps() {
        assertThat(plan("UPDATE a SET x = b.x FROM b WHERE a.id = b.id").gap()).contains("FROM");
        assertThat(plan("DELETE a FROM a JOIN b ON a.id = b.id").operation()).isEqualTo(Operation.GAP);
        assertThat(plan("INSERT INTO a (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 2")
                        .gap())
                .contains("ON CONFLICT");
        assertThat(plan("INSERT INTO a (id) VALUES (1) ON DUPLICATE KEY UPDATE id = 2")
                        .operation())
                .isEqualTo(Operation.GAP);
        assertThat(plan("MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN UPDATE SET x = 1")
                        .operation())
                .isEqualTo(Operation.GAP);
        assertThat(plan("this is not sql").gap()).contains("could not be parsed");
    }

    @Test
    void deterministicSetExpressionsAreEvaluatedWithTheBeforeImage() {
        CapturePlan plan = plan("UPDATE t SET a = ?, b = b * 2 + 1, c = 'x', d = NOT d WHERE id = ?");

        assertThat(plan.computesAfter()).isTrue();
        assertThat(plan.afterExpressions()).containsExactly("?", "b * 2 + 1", "'x'", "NOT d");
        assertThat(plan.setParameters()).isEqualTo(1);
        assertThat(plan.parameters()).containsExactly(2);
    }

    @Test
    void functionsSubqueriesAndTimeKeywordsAreReadBackInstead() {
        assertThat(plan("UPDATE t SET a = UPPER(a) WHERE id = 1").computesAfter())
                .isFalse();
        assertThat(plan("UPDATE t SET updated = CURRENT_TIMESTAMP").computesAfter())
                .isFalse();
        assertThat(plan("UPDATE t SET a = (SELECT max(x) FROM u)").computesAfter())
                .isFalse();
        assertThat(plan("UPDATE t SET a = 1, b = now()").computesAfter()).isFalse();
    }

    @Test
    void updateAndDeleteKeepTheirPartsToRunAgainWithTheirRead() {
        CapturePlan.Rewrite update = plan("UPDATE invoices i SET status = ?, amount = i.amount + 1 WHERE i.due < ?")
                .rewrite();
        assertThat(update.target()).isEqualTo("invoices i");
        assertThat(update.qualifier()).isEqualTo("i");
        assertThat(update.set()).isEqualTo("status = ?, amount = i.amount + 1");
        assertThat(update.where()).isEqualTo("i.due < ?");
        assertThat(update.parameters()).isEqualTo(2);

        CapturePlan.Rewrite delete = plan("DELETE FROM public.jobs").rewrite();
        assertThat(delete.target()).isEqualTo("public.jobs");
        assertThat(delete.qualifier())
                .as("a table without alias is named by its name")
                .isEqualTo("jobs");
        assertThat(delete.set()).isNull();
        assertThat(delete.where()).isNull();
    }

    @Test
    void statementsWithPartsBeyondSetAndWhereAreNotRunAgain() {
        assertThat(plan("UPDATE jobs SET state = ? WHERE id = ? RETURNING id").rewrite())
                .isNull();
        assertThat(plan("DELETE FROM jobs WHERE state = ? ORDER BY created LIMIT ?")
                        .rewrite())
                .isNull();
        assertThat(plan("DELETE FROM jobs WHERE id = ? RETURNING *").rewrite()).isNull();
    }

    @Test
    void anInsertWithoutReturningCanBeRunReturningItsRowsKeys() {
        CapturePlan plan = plan("INSERT INTO archive (id, note) SELECT id + ?, 'x?' FROM items WHERE id <= ?; -- done");
        Column id = Column.of("id", java.sql.Types.BIGINT, "bigint");
        TableInfo table = new TableInfo("archive", java.util.List.of(id), java.util.List.of(id));

        assertThat(plan.rewrite().parameters()).isEqualTo(2);
        assertThat(ReturningCapture.insert(plan.rewrite(), table, Dialect.MYSQL))
                .isEqualTo(
                        "INSERT INTO archive (id, note) SELECT id + ?, 'x?' FROM items WHERE id <= ?\nRETURNING `id`");
        assertThat(plan("INSERT INTO archive (id) SELECT id FROM items RETURNING id")
                        .rewrite())
                .isNull();
    }

    @Test
    void theOneStatementUpdateJoinsItsLockingReadByKeyAndReturnsBeforeAndAfter() {
        CapturePlan plan = plan("UPDATE invoices i SET status = ? WHERE i.due < ?");
        Column id = Column.of("id", java.sql.Types.BIGINT, "int8");
        TableInfo table = new TableInfo(
                "invoices",
                java.util.List.of(id, Column.of("status", java.sql.Types.VARCHAR, "varchar")),
                java.util.List.of(id));

        String sql = ReturningCapture.update(
                plan.rewrite(), table, java.util.List.of("id", "status"), java.util.List.of("status"));

        assertThat(sql)
                .isEqualTo("UPDATE invoices i SET status = ? FROM (SELECT \"id\" AS jg_b0, \"status\" AS jg_b1 FROM"
                        + " invoices i WHERE i.due < ? FOR UPDATE) AS jg_o WHERE i.\"id\" = jg_o.jg_b0 RETURNING"
                        + " jg_o.jg_b0 AS \"id\", jg_o.jg_b1 AS \"status\", i.\"status\" AS jg_after_0");
        assertThat(ReturningCapture.delete(
                        plan("DELETE FROM jobs j WHERE j.id = ?").rewrite()))
                .isEqualTo("DELETE FROM jobs j WHERE j.id = ? RETURNING j.*");
    }

    private static RowCountQuery count(String sql) {
        return new CapturePlanner().rowCountQuery(sql, "t");
    }

    @Test
    void anUpdateOrDeleteOfPlainPartsCanRunWithItsCountFoldedInAsOneMoreCondition() {
        assertThat(count("UPDATE invoices i SET status = ?, amount = amount + 1 WHERE i.customer_id < ?")
                        .foldedSql())
                .isEqualTo("UPDATE invoices i SET status = ?, amount = amount + 1 WHERE (i.customer_id < ?) AND"
                        + " (SELECT COUNT(*) FROM (SELECT 1 AS jg_one FROM (SELECT * FROM invoices i WHERE"
                        + " i.customer_id < ?) jg_preflight LIMIT ?) jg_count) <= ?");
        assertThat(count("DELETE FROM invoices").foldedSql())
                .isEqualTo("DELETE FROM invoices WHERE (SELECT COUNT(*) FROM (SELECT 1 AS jg_one FROM (SELECT"
                        + " * FROM invoices) jg_preflight LIMIT ?) jg_count) <= ?");
        assertThat(count("UPDATE invoices SET status = 'X' WHERE amount > 10 ORDER BY id LIMIT 5")
                        .foldedSql())
                .as("ORDER BY and LIMIT are not a WHERE's: counted first")
                .isNull();
        assertThat(count("INSERT INTO archive (id) SELECT id FROM invoices").foldedSql())
                .isNull();
    }

    @Test
    void anInsertSelectIsCountedAsItsSelectWithItsParameters() {
        RowCountQuery query =
                count("INSERT INTO archive (id, amount) SELECT id, amount + ? FROM invoices WHERE id <= ?");

        assertThat(query.select()).isEqualTo("SELECT id, amount + ? FROM invoices WHERE id <= ?");
        assertThat(query.parameters()).containsExactly(1, 2);
        assertThat(query.mayPin()).isFalse();
    }

    @Test
    void insertsWhoseRowsAreKnownOrMaySkipRowsAreNotCountedFirst() {
        assertThat(count("INSERT INTO archive (id) VALUES (1), (2)")).isNull();
        assertThat(count("INSERT INTO archive (id) VALUES (?)")).isNull();
        assertThat(count("INSERT IGNORE INTO archive (id) SELECT id FROM invoices"))
                .isNull();
        assertThat(count("INSERT INTO archive (id) SELECT id FROM invoices ON CONFLICT DO NOTHING"))
                .isNull();
        assertThat(count("INSERT INTO archive (id) SELECT id FROM invoices ON DUPLICATE KEY UPDATE id = id"))
                .isNull();
        assertThat(count("INSERT INTO archive (id) WITH s AS (SELECT id FROM invoices) SELECT id FROM s"))
                .isNull();
    }

    @Test
    void aMergeIsCountedAsItsSourceJoinedToItsTargetAsItsWhenClausesSay() {
        String merge = "MERGE INTO archive a USING (SELECT * FROM invoices WHERE id > ?) i ON (a.id = i.id)";
        assertThat(count(merge + " WHEN MATCHED THEN UPDATE SET amount = ?").select())
                .isEqualTo("SELECT 1 FROM (SELECT * FROM invoices WHERE id > ?) i JOIN archive a ON (a.id = i.id)");
        assertThat(count(merge + " WHEN MATCHED THEN UPDATE SET amount = i.amount"
                                + " WHEN NOT MATCHED THEN INSERT (id) VALUES (i.id)")
                        .select())
                .contains(" LEFT JOIN archive a ON ");
        assertThat(count(merge + " WHEN NOT MATCHED THEN INSERT (id) VALUES (i.id)")
                        .select())
                .contains("WHERE NOT EXISTS (SELECT 1 FROM archive a WHERE (a.id = i.id))");
        assertThat(count(merge + " WHEN MATCHED THEN UPDATE SET amount = ?").parameters())
                .containsExactly(1);
        assertThat(count(merge + " WHEN MATCHED AND i.amount > 0 THEN UPDATE SET amount = i.amount"))
                .as("a WHEN clause with its own condition may change fewer rows")
                .isNull();
    }

    @Test
    void theCountIsOneStatementTextWhateverTheLimitsLeaveSoTheDriverCanReuseItsPlan() throws Exception {
        RowCountQuery query = new CapturePlanner().rowCountQuery("UPDATE t SET v = 1 WHERE v < 100", "t");
        List<String> prepared = new ArrayList<>();
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:count-text")) {
            h2.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
            h2.createStatement().execute("INSERT INTO t SELECT x, x FROM SYSTEM_RANGE(1, 50)");
            Connection recording = (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement")) {
                            prepared.add((String) args[0]);
                        }
                        return method.invoke(h2, args);
                    });

            assertThat(query.count(recording, null, 1000, 0)).isEqualTo(50);
            assertThat(query.count(recording, null, 9, 0))
                    .as("counted up to the bound")
                    .isEqualTo(10);
            assertThat(query.count(recording, null, Long.MAX_VALUE, 0)).isEqualTo(50);
        }
        assertThat(prepared).hasSize(3);
        assertThat(prepared.stream().distinct()).hasSize(1);
    }

    private static long mostRows(String sql, ValueCodec.Kind keyKind, Object... parameters) {
        RowCountQuery query = count(sql).withKey(List.of(new Column("ID", 0, "x", keyKind, false, false, "")));
        return query.mostRows(new ParameterSource() {
            @Override
            public boolean replayable(int index) {
                return true;
            }

            @Override
            public Object value(int index) {
                return parameters[index - 1];
            }

            @Override
            public void bind(int index, PreparedStatement target, int targetIndex) {}
        });
    }

    @Test
    void aWhereBoundingASingleColumnIntegerKeyTellsTheMostRowsItCanMatchWithItsParameters() {
        ValueCodec.Kind integer = ValueCodec.Kind.INTEGER;
        assertThat(mostRows("UPDATE t SET s = ?, a = a + 1 WHERE id BETWEEN ? AND ?", integer, "X", 1, 500))
                .as("the WHERE's parameters come after the SET's")
                .isEqualTo(500);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE s = 'OPEN' AND id >= ? AND id < ?", integer, 101L, 201L))
                .isEqualTo(100);
        assertThat(mostRows("DELETE FROM t WHERE ? < \"ID\" AND id <= 20", integer, 10))
                .isEqualTo(10);
        assertThat(mostRows("DELETE FROM t WHERE id IN (1, 2, ?)", ValueCodec.Kind.TEXT, 3))
                .as("a list bounds any key")
                .isEqualTo(3);
        assertThat(mostRows("DELETE FROM t WHERE id BETWEEN 10 AND 1", integer)).isZero();
        assertThat(mostRows("DELETE FROM t WHERE id BETWEEN ? AND ?", integer, Long.MIN_VALUE, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aWhereThatDoesNotBoundTheKeyLeavesTheCountToRun() {
        ValueCodec.Kind integer = ValueCodec.Kind.INTEGER;
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id BETWEEN ? AND ?", integer, "1", "5"))
                .as("bound as text")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id BETWEEN ? AND ?", integer, 1, null))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id BETWEEN 1 AND 5", ValueCodec.Kind.TEXT))
                .as("a range of a text key")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id NOT BETWEEN 1 AND 5", integer))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id BETWEEN 1 AND 5 OR s = 'OPEN'", integer))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id >= 1", integer)).isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE grp BETWEEN 1 AND 5", integer))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(mostRows("UPDATE t SET s = 'X' WHERE id IN (SELECT id FROM u)", integer))
                .isEqualTo(Long.MAX_VALUE);
        RowCountQuery composite = count("UPDATE t SET s = 'X' WHERE id BETWEEN 1 AND 5")
                .withKey(List.of(Column.of("ID", 0, "x"), Column.of("GRP", 0, "x")));
        assertThat(composite.mostRows(null)).as("one column of a composite key").isEqualTo(Long.MAX_VALUE);
    }
}
