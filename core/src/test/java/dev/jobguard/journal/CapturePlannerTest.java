package dev.jobguard.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.journal.CapturePlan.Operation;
import dev.jobguard.journal.CapturePlan.ValueSource;
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
}
