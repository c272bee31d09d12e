package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.Operation;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StatementKindTest {

    @Test
    void writesAreDataAndSchemaChangesAndUnknownStatements() {
        assertThat(Arrays.stream(StatementKind.values()).filter(StatementKind::isWrite))
                .containsExactlyInAnyOrder(
                        StatementKind.INSERT,
                        StatementKind.UPDATE,
                        StatementKind.DELETE,
                        StatementKind.MERGE,
                        StatementKind.TRUNCATE,
                        StatementKind.DROP_TABLE,
                        StatementKind.DDL,
                        StatementKind.CALL,
                        StatementKind.UNKNOWN);
    }

    @Test
    void schemaChangesAreTheStatementsThatCommitImplicitly() {
        assertThat(Arrays.stream(StatementKind.values()).filter(StatementKind::isSchemaChange))
                .containsExactlyInAnyOrder(
                        StatementKind.TRUNCATE, StatementKind.DROP_TABLE, StatementKind.DDL, StatementKind.LOCK);
    }

    @Test
    void dataChangesMapToTheirOperationAndEverythingElseToOther() {
        assertThat(StatementKind.INSERT.operation()).isEqualTo(Operation.INSERT);
        assertThat(StatementKind.UPDATE.operation()).isEqualTo(Operation.UPDATE);
        assertThat(StatementKind.DELETE.operation()).isEqualTo(Operation.DELETE);
        assertThat(StatementKind.MERGE.operation()).isEqualTo(Operation.MERGE);
        EnumSet<StatementKind> others = EnumSet.complementOf(
                EnumSet.of(StatementKind.INSERT, StatementKind.UPDATE, StatementKind.DELETE, StatementKind.MERGE));
        assertThat(others).allMatch(kind -> kind.operation() == Operation.OTHER);
    }
}
