-- jobguard state store, H2 (2.x). Idempotent: JdbcStateStore runs it on first use when autoCreateTables is on.
-- Timestamps are UTC, to the millisecond. With a table prefix other than jobguard_, replace jobguard_ throughout.

CREATE TABLE IF NOT EXISTS jobguard_job (
    name          VARCHAR(200)  NOT NULL PRIMARY KEY,
    status        VARCHAR(16)   NOT NULL,
    mode_override VARCHAR(16),
    reason        VARCHAR(1000),
    actor         VARCHAR(200),
    changed_at    TIMESTAMP(3),
    version       BIGINT        NOT NULL
);

CREATE TABLE IF NOT EXISTS jobguard_run (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    job              VARCHAR(200)  NOT NULL,
    node             VARCHAR(200),
    mode             VARCHAR(16)   NOT NULL,
    started_at       TIMESTAMP(3)  NOT NULL,
    ended_at         TIMESTAMP(3),
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
    rows_rolled_back BIGINT
);

-- Added after 0.1.0 (rows_committed, rows_rolled_back, trip_before_execution): JdbcStateStore adds them to an older
-- jobguard_run with ALTER TABLE jobguard_run ADD COLUMN rows_committed BIGINT (rows_rolled_back BIGINT,
-- trip_before_execution BOOLEAN) when autoCreateTables is on.

CREATE INDEX IF NOT EXISTS jobguard_run_job_started ON jobguard_run (job, started_at);

CREATE TABLE IF NOT EXISTS jobguard_run_table (
    run_id       VARCHAR(36)  NOT NULL,
    table_name   VARCHAR(255) NOT NULL,
    operation    VARCHAR(16)  NOT NULL,
    rows_changed BIGINT       NOT NULL,
    PRIMARY KEY (run_id, table_name, operation)
);
