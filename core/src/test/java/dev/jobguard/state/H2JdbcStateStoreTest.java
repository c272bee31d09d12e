package dev.jobguard.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.it.TestDatabase;
import org.junit.jupiter.api.Test;

class H2JdbcStateStoreTest extends AbstractJdbcStateStoreTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    protected String unreachableUrl() {
        return "jdbc:h2:tcp://127.0.0.1:1/mem:nowhere";
    }

    @Override
    protected String schemaResource() {
        return "dev/jobguard/state/schema-h2.sql";
    }

    @Test
    void aTablePrefixIsLettersDigitsAndUnderscores() {
        assertThat(JdbcStateStore.builder(pool)
                        .tablePrefix("ops_jobguard_2_")
                        .build()
                        .tablePrefix())
                .isEqualTo("ops_jobguard_2_");
        assertThat(JdbcStateStore.create(pool).tablePrefix()).isEqualTo("jobguard_");
        assertThat(JdbcStateStore.create(pool).autoCreateTables()).isTrue();
        for (String bad : new String[] {"", "job-guard_", "jobguard; DROP TABLE x", "1jobguard_", "x".repeat(41)}) {
            assertThatThrownBy(() -> JdbcStateStore.builder(pool).tablePrefix(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tablePrefix");
        }
    }
}
