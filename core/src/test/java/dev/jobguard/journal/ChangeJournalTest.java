package dev.jobguard.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChangeJournalTest {

    @Test
    void excludedColumnsMatchByTableAndColumnCaseInsensitively() {
        ChangeJournal journal = ChangeJournal.builder(null)
                .excludeColumns("users.password_hash", "*.SSN", "billing.\"Cards\".number")
                .build();

        assertThat(journal.excludes("USERS", "Password_Hash")).isTrue();
        assertThat(journal.excludes("public.users", "password_hash")).isTrue();
        assertThat(journal.excludes("customers", "ssn")).isTrue();
        assertThat(journal.excludes("cards", "number")).isTrue();
        assertThat(journal.excludes("users", "login")).isFalse();
        assertThat(journal.excludes("accounts", "password_hash")).isFalse();
    }

    @Test
    void aMalformedExcludedColumnIsRejectedWithTheFix() {
        assertThatThrownBy(() -> ChangeJournal.builder(null).excludeColumns("password"))
                .hasMessageContaining("'password'")
                .hasMessageContaining("table.column");
    }

    @Test
    void anInvalidPrefixIsRejected() {
        assertThatThrownBy(() -> ChangeJournal.builder(null).tablePrefix("jobguard-"))
                .hasMessageContaining("tablePrefix");
        assertThat(ChangeJournal.builder(null).tablePrefix("ops_jg_").build().changeTable())
                .isEqualTo("ops_jg_change");
    }

    @Test
    void withoutADataSourceRevertAndPurgeSayHowToConfigureOne() {
        ChangeJournal journal = ChangeJournal.builder(null).build();

        assertThatThrownBy(() -> journal.revert("run", RevertOptions.DEFAULTS))
                .hasMessageContaining("no DataSource")
                .hasMessageContaining("changeJournal(ChangeJournal.create(dataSource))");
        assertThatThrownBy(() -> journal.purge(Instant.now())).hasMessageContaining("no DataSource");
    }
}
