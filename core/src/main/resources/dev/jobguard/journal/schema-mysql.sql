-- jobguard change journal, MySQL (8+) and MariaDB (10.3+). DATETIME(3) timestamps (no session time zone). Idempotent: run on first use when autoCreateTables is on.
-- Timestamps are UTC, to the millisecond. With a table prefix other than jobguard_, replace jobguard_ throughout.

-- One row per changed row of a journaled run, written in the same transaction as the change.
-- operation: INSERT, UPDATE, DELETE, or GAP for a write that could not be journaled (before_image holds why).
-- row_key, before_image, after_image: JSON objects of column name to value. No index on created_at: purging
-- reads whole runs (their newest entry) anyway, and every journaled write would pay for it.
CREATE TABLE IF NOT EXISTS jobguard_change (
    run_id       VARCHAR(36)  NOT NULL,
    seq          BIGINT       NOT NULL,
    table_name   VARCHAR(255) NOT NULL,
    operation    VARCHAR(16)  NOT NULL,
    row_key      LONGTEXT,
    before_image LONGTEXT,
    after_image  LONGTEXT,
    created_at   DATETIME(3) NOT NULL,
    PRIMARY KEY (run_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per reverted run; its primary key makes a second revert of the same run impossible.
CREATE TABLE IF NOT EXISTS jobguard_revert (
    run_id        VARCHAR(36)   NOT NULL PRIMARY KEY,
    revert_id     VARCHAR(36)   NOT NULL UNIQUE,
    reverted_at   DATETIME(3)  NOT NULL,
    actor         VARCHAR(200)  NOT NULL,
    reason        VARCHAR(1000),
    rows_reverted BIGINT        NOT NULL,
    conflicts     BIGINT        NOT NULL,
    partial_revert BOOLEAN      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
