package dev.jobguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionControlTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "COMMIT | COMMIT",
                "commit work; | COMMIT",
                "END | COMMIT",
                "ROLLBACK | ROLLBACK",
                "abort | ROLLBACK",
                "ROLLBACK TO SAVEPOINT sp1 | ROLLBACK_TO_SAVEPOINT",
                "rollback work to sp1 | ROLLBACK_TO_SAVEPOINT",
                "BEGIN | BEGIN",
                "START TRANSACTION READ WRITE | BEGIN",
                "SAVEPOINT sp1 | SAVEPOINT",
                "RELEASE SAVEPOINT sp1 | OTHER",
                "SET autocommit = 1 | AUTOCOMMIT_ON",
                "set @@session.autocommit=ON | AUTOCOMMIT_ON",
                "SET AUTOCOMMIT TRUE | AUTOCOMMIT_ON",
                "SET autocommit = 0 | OTHER",
                "SET search_path TO billing | OTHER",
                "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE | OTHER",
            })
    void transactionControlIsToldByWhatItDoesToTheOpenTransaction(String sql, TransactionControl expected) {
        assertThat(TransactionControl.of(sql)).isEqualTo(expected);
    }
}
