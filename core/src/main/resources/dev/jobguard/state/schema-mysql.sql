-- jobguard state store, MySQL (8+) and MariaDB (10.3+). Idempotent: JdbcStateStore runs it on first use when
-- autoCreateTables is on. Timestamps are UTC, to the millisecond, in DATETIME(3) (no TIMESTAMP auto-update, no
-- session time zone). Binary collation: job names and run ids compare case-sensitively, as on PostgreSQL and H2.
-- With a table prefix other than jobguard_, replace jobguard_ throughout.

CREATE TABLE IF NOT EXISTS jobguard_job (
    name          VARCHAR(200)  NOT NULL PRIMARY KEY,
    status        VARCHAR(16)   NOT NULL,
    mode_override VARCHAR(16),
    reason        VARCHAR(1000),
    actor         VARCHAR(200),
    changed_at    DATETIME(3),
    version       BIGINT        NOT NULL,
    disabled_until DATETIME(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS jobguard_run (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    job              VARCHAR(200)  NOT NULL,
    node             VARCHAR(200),
    mode             VARCHAR(16)   NOT NULL,
    started_at       DATETIME(3)   NOT NULL,
    ended_at         DATETIME(3),
    outcome          VARCHAR(16)   NOT NULL,
    trip_reason      VARCHAR(32),
    trip_limit       BIGINT,
    trip_figure      BIGINT,
    trip_table       VARCHAR(255),
    trip_statement   VARCHAR(1000),
    trip_before_execution BOOLEAN,
    detail           VARCHAR(2000),
    rows_changed     BIGINT        NOT NULL DEFAULT 0,
    rows_lower_bound BOOLEAN       NOT NULL DEFAULT FALSE,
    rows_committed   BIGINT,
    rows_rolled_back BIGINT,
    occurrences      BIGINT,
    INDEX jobguard_run_job_started (job, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Added after 0.1.0 (rows_committed, rows_rolled_back, trip_before_execution, occurrences; jobguard_job.disabled_until;
-- jobguard_run_statement.not_preflighted):
-- JdbcStateStore adds them to an older table with ALTER TABLE jobguard_run ADD COLUMN rows_committed BIGINT
-- (rows_rolled_back BIGINT, trip_before_execution BOOLEAN, occurrences BIGINT; ALTER TABLE jobguard_job ADD COLUMN
-- disabled_until DATETIME(3); ALTER TABLE jobguard_run_statement ADD COLUMN
-- not_preflighted VARCHAR(500)) when autoCreateTables is on.

CREATE TABLE IF NOT EXISTS jobguard_run_table (
    run_id       VARCHAR(36)  NOT NULL,
    table_name   VARCHAR(255) NOT NULL,
    operation    VARCHAR(16)  NOT NULL,
    rows_changed BIGINT       NOT NULL,
    PRIMARY KEY (run_id, table_name, operation)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The write statements of a run (the first 100, most rows first), kept with its end for the run's report.
CREATE TABLE IF NOT EXISTS jobguard_run_statement (
    run_id       VARCHAR(36)   NOT NULL,
    seq          INT           NOT NULL,
    sql_text     VARCHAR(1100) NOT NULL,
    table_name   VARCHAR(255),
    operation    VARCHAR(16)   NOT NULL,
    executions   BIGINT        NOT NULL,
    rows_changed BIGINT        NOT NULL,
    not_preflighted VARCHAR(500),
    PRIMARY KEY (run_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The audit trail: every change of a job's state (and of the global switch, job '*') and every revert, appended in
-- the same transaction as the change. Read newest first (acted_at, then id).
CREATE TABLE IF NOT EXISTS jobguard_action (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job           VARCHAR(200)  NOT NULL,
    action        VARCHAR(16)   NOT NULL,
    from_status   VARCHAR(16),
    to_status     VARCHAR(16),
    mode          VARCHAR(16),
    reason        VARCHAR(1000),
    actor         VARCHAR(200)  NOT NULL,
    acted_at      DATETIME(3)  NOT NULL,
    run_id        VARCHAR(36),
    until_at      DATETIME(3),
    INDEX jobguard_action_job_at (job, acted_at),
    INDEX jobguard_action_at (acted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
