package dev.jobguard.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StoreSchemaTest {

    @Test
    void theDdlIsWrittenWithTheDefaultPrefixOfTheStoreAndTheJournal() {
        assertThat(StoreSchema.DDL_TABLE_PREFIX)
                .isEqualTo(JdbcStateStore.DEFAULT_TABLE_PREFIX)
                .isEqualTo(ChangeJournal.DEFAULT_TABLE_PREFIX);
    }

    @Test
    void missingTablesFailWithSchemaExceptionWhenOffAndAreCreatedWhenOn() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:")) {
            assertThatThrownBy(() -> StoreSchema.journal("sx_", false).ensure(connection))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("the change journal's table(s) sx_change, sx_revert do not exist")
                    .hasMessageContaining("autoCreateTables is off")
                    .hasMessageContaining("replace the prefix jobguard_ with sx_")
                    .hasMessageContaining("ChangeJournal.builder(dataSource).autoCreateTables(true)");

            assertThat(StoreSchema.journal("sx_", true).prepare(connection)).isEqualTo(Dialect.H2);
            StoreSchema.journal("sx_", false).ensure(connection);
        }
    }
}
