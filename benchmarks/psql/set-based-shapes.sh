#!/bin/bash
# Server-side cost of the shapes a set-based journal could take, measured in psql (docs/benchmarks.md,
# "What set-based <= 2x would take"). Each shape is one transaction over a 10,000-row table, run 9 times after a
# VACUUM of the table and a TRUNCATE of the journal; the first run is dropped, the median of the other 8 is printed.
# Usage: benchmarks/psql/set-based-shapes.sh [psql connection arguments]   (default: -h 127.0.0.1 -U postgres test)
set -euo pipefail
args=("$@"); [ ${#args[@]} -eq 0 ] && args=(-h 127.0.0.1 -U postgres test)
dir=$(mktemp -d); trap 'rm -rf "$dir"; psql -X -q "${args[@]}" -c "DROP TABLE IF EXISTS xp_items, xp_change" 2>/dev/null >/dev/null' EXIT
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql "${args[@]}" <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS xp_items, xp_change;
CREATE TABLE xp_items (id BIGINT PRIMARY KEY, customer_id BIGINT, status VARCHAR(20), amount NUMERIC(12,2),
    due DATE, note TEXT, updated_at TIMESTAMP(6));
INSERT INTO xp_items SELECT g, g % 100, 'A', 10.5, DATE '2026-01-01' + g % 300, 'note ' || g, now()
    FROM generate_series(1, 10000) g;
-- shaped like jobguard_change
CREATE TABLE xp_change (run_id VARCHAR(36) NOT NULL, seq BIGINT NOT NULL, table_name VARCHAR(255) NOT NULL,
    operation VARCHAR(16) NOT NULL, row_key TEXT, before_image TEXT, after_image TEXT, created_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (run_id, seq));
VACUUM ANALYZE xp_items;
SQL

# the job's statement alone
cat > "$dir/update" <<'SQL'
UPDATE xp_items SET status = 'FLIP', amount = amount + 1 WHERE id <= 10000;
SQL
# today's capture: one statement, locking sub-query joined to the write, before and after returned
cat > "$dir/self-join" <<'SQL'
UPDATE xp_items t SET status = 'FLIP', amount = t.amount + 1
  FROM (SELECT id, status, amount FROM xp_items WHERE id <= 10000 FOR UPDATE) o WHERE t.id = o.id
  RETURNING o.id, o.status, o.amount, t.status, t.amount \g /dev/null
SQL
# the first session's capture: a locking read with the after-values evaluated, then the job's statement
cat > "$dir/read-then-write" <<'SQL'
SELECT id, status, amount, 'FLIP' AS a0, amount + 1 AS a1 FROM xp_items WHERE id <= 10000 FOR UPDATE \g /dev/null
UPDATE xp_items SET status = 'FLIP', amount = amount + 1 WHERE id <= 10000;
SQL
# 10,000 journal rows alone
cat > "$dir/journal-rows" <<'SQL'
INSERT INTO xp_change SELECT 'a3b1c2d4-0000-4000-8000-RUN', g, 'xp_items', 'UPDATE', '{"id":' || g || '}',
  '{"status":"A","amount":10.50}', '{"status":"B","amount":11.50}', now() FROM generate_series(1, 10000) g;
SQL
# today's capture and one journal row per changed row, all in the server (no client work at all)
cat > "$dir/self-join+row-per-row" <<'SQL'
WITH o AS (SELECT id, status, amount FROM xp_items WHERE id <= 10000 FOR UPDATE),
u AS (UPDATE xp_items t SET status = 'FLIP', amount = t.amount + 1 FROM o WHERE t.id = o.id
      RETURNING o.id, o.status AS ostatus, o.amount AS oamount, t.status, t.amount)
INSERT INTO xp_change SELECT 'RUN', row_number() OVER (), 'xp_items', 'UPDATE', json_build_object('id', id)::text,
  json_build_object('status', ostatus, 'amount', oamount)::text, json_build_object('status', status, 'amount', amount)::text,
  now() FROM u;
SQL
# today's capture and one journal row per statement (every row's key and images in one value), in the server
cat > "$dir/self-join+row-per-statement" <<'SQL'
WITH o AS (SELECT id, status, amount FROM xp_items WHERE id <= 10000 FOR UPDATE),
u AS (UPDATE xp_items t SET status = 'FLIP', amount = t.amount + 1 FROM o WHERE t.id = o.id
      RETURNING o.id, o.status AS ostatus, o.amount AS oamount, t.status, t.amount),
j AS (INSERT INTO xp_change SELECT 'RUN', 1, 'xp_items', 'UPDATE', json_agg(id)::text,
      json_agg(json_build_array(ostatus, oamount))::text, json_agg(json_build_array(status, amount))::text, now() FROM u)
SELECT count(*) FROM u \g /dev/null
SQL

# the locking read, the job's statement, and one journal row per statement (its value built by reading the rows again:
# an over-estimate of a client sending what its read returned)
cat > "$dir/read-then-write+row-per-statement" <<'SQL'
SELECT id, status, amount, 'FLIP' AS a0, amount + 1 AS a1 FROM xp_items WHERE id <= 10000 FOR UPDATE \g /dev/null
UPDATE xp_items SET status = 'FLIP', amount = amount + 1 WHERE id <= 10000;
INSERT INTO xp_change SELECT 'RUN', 1, 'xp_items', 'UPDATE', json_agg(id)::text,
  json_agg(json_build_array(status, amount - 1))::text, json_agg(json_build_array(status, amount))::text, now()
  FROM xp_items WHERE id <= 10000;
SQL

run() {
  local name=$1 times=()
  for i in $(seq 1 9); do
    local flip=$([ $((i % 2)) = 0 ] && echo A || echo B)
    { echo 'TRUNCATE xp_change; VACUUM xp_items;'; echo '\timing on'; echo 'BEGIN;'
      sed "s/FLIP/$flip/g; s/RUN/run$i/g" "$dir/$name"; echo 'COMMIT;'; } > "$dir/current.sql"
    local t; t=$(psql "${args[@]}" -f "$dir/current.sql" 2>&1 | grep -o 'Time: [0-9.]*' | awk '{s += $2} END {print s}')
    [ "$i" -gt 1 ] && times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" '{a[NR] = $1} END {printf "%-34s median %6.1f ms  (min %.1f, max %.1f)\n", n, (a[4] + a[5]) / 2, a[1], a[NR]}'
}
for shape in update self-join read-then-write journal-rows self-join+row-per-row self-join+row-per-statement read-then-write+row-per-statement update; do
  run "$shape"
done
