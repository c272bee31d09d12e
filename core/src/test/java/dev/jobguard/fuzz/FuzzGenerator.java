package dev.jobguard.fuzz;

import dev.jobguard.GuardMode;
import dev.jobguard.fuzz.FuzzRun.Ending;
import dev.jobguard.fuzz.FuzzRun.Method;
import dev.jobguard.fuzz.FuzzRun.Step;
import dev.jobguard.it.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates write workloads over {@link FuzzTables}' two tables from a seed: UPDATE, DELETE, INSERT (VALUES and
 * SELECT), upserts, MERGE, RETURNING, CTEs, sub-queries, multi-table writes, multi-statement strings and the
 * database's own query forms, with comments and quoting in several positions, sent through every JDBC execute
 * method, under a random policy. The same seed always gives the same run.
 */
final class FuzzGenerator {

    private final TestDatabase database;
    private final String schema;

    /** @param schema the tables' schema (MariaDB: database) as the database spells it */
    FuzzGenerator(TestDatabase database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    FuzzRun run(long seed) {
        Random random = new Random(seed);
        GuardMode mode = pick(random, 7, GuardMode.ENFORCE, 1, GuardMode.OBSERVE, 2, GuardMode.DRY_RUN);
        boolean limited = random.nextInt(10) < 7;
        long maxRows = limited && random.nextBoolean() ? 1 + random.nextInt(60) : FuzzRun.NONE;
        long perStatement = limited && random.nextInt(4) == 0 ? 1 + random.nextInt(30) : FuzzRun.NONE;
        String tableLimitName = limited && random.nextInt(3) == 0 ? tableA(random) : null;
        long tableLimit = tableLimitName == null ? 0 : 1 + random.nextInt(40);
        boolean journal = mode == GuardMode.ENFORCE && random.nextInt(4) == 0;
        boolean atomic = mode == GuardMode.ENFORCE && random.nextInt(5) == 0;
        boolean autoCommit = random.nextBoolean();
        Ending ending = pick(random, 6, Ending.COMMIT, 3, Ending.FAIL, 1, Ending.RETURN);
        int count = 1 + random.nextInt(6);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(step(random, autoCommit));
        }
        return new FuzzRun(
                seed,
                mode,
                maxRows,
                perStatement,
                tableLimitName,
                tableLimit,
                journal,
                atomic,
                autoCommit,
                ending,
                List.copyOf(steps));
    }

    private Step step(Random random, boolean autoCommit) {
        int control = random.nextInt(12);
        if (!autoCommit && control == 0) {
            return new Step(null, Method.COMMIT, false, false);
        }
        if (!autoCommit && control == 1) {
            return new Step(null, Method.SAVEPOINT, false, false);
        }
        if (!autoCommit && control == 2) {
            return new Step(null, Method.ROLLBACK, false, false);
        }
        String sql = statement(random);
        boolean returning = sql.contains("RETURNING") || sql.contains(" TABLE (");
        Method method;
        if (returning && random.nextInt(3) > 0) {
            method = random.nextBoolean() ? Method.EXECUTE_QUERY : Method.PREPARED_QUERY;
        } else {
            Method[] methods = {
                Method.EXECUTE,
                Method.EXECUTE_UPDATE,
                Method.EXECUTE_LARGE_UPDATE,
                Method.EXECUTE_QUERY,
                Method.BATCH,
                Method.LARGE_BATCH,
                Method.PREPARED_EXECUTE,
                Method.PREPARED_UPDATE,
                Method.PREPARED_LARGE_UPDATE,
                Method.PREPARED_BATCH
            };
            method = methods[random.nextInt(methods.length)];
        }
        if (sql.contains(";")
                && (method == Method.PREPARED_BATCH || method.name().startsWith("PREPARED"))) {
            method = Method.EXECUTE; // multi-statement strings are sent as plain SQL
        }
        return new Step(sql, method, random.nextInt(8) == 0, random.nextInt(10) == 0);
    }

    private String statement(Random random) {
        String sql = single(random);
        if (database.reportsEveryResult() && random.nextInt(10) == 0) {
            sql = sql + "; " + single(random);
        }
        return sql;
    }

    private String single(Random random) {
        String a = tableA(random);
        String b = random.nextBoolean() ? "fz_b" : qualified("fz_b");
        int low = 1 + random.nextInt(40);
        int high = low + random.nextInt(25);
        int template = random.nextInt(16);
        String body = switch (template) {
            case 0 -> "UPDATE " + comment(random) + a + " SET v = v + 1 WHERE id BETWEEN " + low + " AND " + high;
            case 1 -> "UPDATE " + a + " SET note = 'n" + low + "' WHERE grp = " + (low % 5);
            case 2 -> "UPDATE " + a + " SET v = v + 1";
            case 3 -> "DELETE FROM " + a + " WHERE id BETWEEN " + low + " AND " + high;
            case 4 -> "DELETE FROM " + b + " WHERE v < " + low;
            case 5 ->
                "INSERT INTO " + a + " (id, grp, v) VALUES (" + (30 + low) + ", 1, 0), (" + (100 + high) + ", 2, 0)";
            case 6 ->
                "INSERT INTO " + a + " (id, grp, v, note) SELECT id + " + (100 * (1 + random.nextInt(5)))
                        + ", grp, v, 'copy' FROM fz_a WHERE id <= " + low;
            case 7 -> upsert(a, low);
            case 8 -> "UPDATE " + a + " SET v = v + 1 WHERE id IN (SELECT a_id FROM fz_b WHERE v < " + low + ")";
            case 9 -> returning(random, a, b, low, high);
            case 10 -> cte(random, a, b, low);
            case 11 -> merge(a, low);
            case 12 -> multiTable(a, low);
            case 13 -> "UPDATE " + b + " SET v = v + 1 WHERE a_id <= " + (low % 10 + 1);
            case 14 -> "DELETE FROM " + a + " WHERE id > " + (20 + high) + " AND note IS NULL";
            default -> "UPDATE " + a + " SET v = v - 1, note = NULL WHERE grp = " + (low % 5) + " AND id <= " + high;
        };
        return comment(random) + body;
    }

    private String upsert(String a, int low) {
        return switch (database) {
            case POSTGRESQL ->
                "INSERT INTO " + a + " (id, grp, v) VALUES (" + low + ", 1, 0), (" + (200 + low)
                        + ", 1, 0) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v + 7";
            case MARIADB ->
                "INSERT INTO " + a + " (id, grp, v) VALUES (" + low + ", 1, 0), (" + (200 + low)
                        + ", 1, 0) ON DUPLICATE KEY UPDATE v = v + 7";
            case H2 ->
                "MERGE INTO " + a + " (id, grp, v) KEY (id) VALUES (" + low + ", 1, 0), (" + (200 + low) + ", 1, 0)";
        };
    }

    private String returning(Random random, String a, String b, int low, int high) {
        return switch (database) {
            case POSTGRESQL ->
                random.nextBoolean()
                        ? "UPDATE " + a + " SET v = v + 2 WHERE id BETWEEN " + low + " AND " + high + " RETURNING id"
                        : "DELETE FROM " + b + " WHERE v < " + low + " RETURNING id, v";
            case MARIADB ->
                random.nextBoolean()
                        ? "DELETE FROM " + b + " WHERE v < " + low + " RETURNING id"
                        : "INSERT INTO " + a + " (id, grp, v) SELECT id + 300, grp, v FROM fz_a WHERE id <= " + low
                                + " RETURNING id";
            case H2 ->
                "SELECT id FROM " + (random.nextBoolean() ? "FINAL" : "OLD") + " TABLE (UPDATE " + a
                        + " SET v = v + 2 WHERE id BETWEEN " + low + " AND " + high + ")";
        };
    }

    private String cte(Random random, String a, String b, int low) {
        return switch (database) {
            case POSTGRESQL ->
                random.nextBoolean()
                        ? "WITH d AS (DELETE FROM " + b + " WHERE v < " + low + " RETURNING id) SELECT count(*) FROM d"
                        : "WITH s AS (SELECT id FROM fz_a WHERE grp = " + (low % 5) + ") UPDATE " + a
                                + " SET v = v + 1 WHERE id IN (SELECT id FROM s)";
            case MARIADB, H2 ->
                "UPDATE " + a + " SET v = v + 3 WHERE id IN (WITH s AS (SELECT id FROM fz_a WHERE grp = " + (low % 5)
                        + ") SELECT id FROM s)";
        };
    }

    private String merge(String a, int low) {
        return switch (database) {
            case POSTGRESQL, H2 ->
                "MERGE INTO " + a + " t USING (SELECT a_id FROM fz_b WHERE v < " + low
                        + ") s ON t.id = s.a_id WHEN MATCHED THEN UPDATE SET v = t.v + 1";
            case MARIADB -> "REPLACE INTO " + a + " (id, grp, v) VALUES (" + low + ", 3, 9)";
        };
    }

    private String multiTable(String a, int low) {
        return switch (database) {
            case POSTGRESQL -> "UPDATE " + a + " t SET v = t.v + 1 FROM fz_b b WHERE b.a_id = t.id AND b.v < " + low;
            case MARIADB -> "UPDATE fz_b b JOIN " + a + " t ON t.id = b.a_id SET t.v = t.v + 1 WHERE b.v < " + low;
            case H2 -> "DELETE FROM " + a + " WHERE id IN (SELECT id FROM fz_a WHERE v < " + low + " AND id > 20)";
        };
    }

    /** fz_a spelled one of the ways the database accepts for it. */
    private String tableA(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "fz_a";
            case 1 -> qualified("fz_a");
            case 2 -> "FZ_A";
            default ->
                switch (database) {
                    case MARIADB -> "`fz_a`";
                    case H2 -> "\"FZ_A\"";
                    case POSTGRESQL -> "\"fz_a\"";
                };
        };
    }

    private String qualified(String table) {
        return schema + "." + table;
    }

    private String comment(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "/* fz */ ";
            case 1 -> "-- fz\n";
            case 2 ->
                switch (database) {
                    case MARIADB -> "# fz\n";
                    case POSTGRESQL -> "/* a /* nested */ b */ ";
                    case H2 -> "/* h2 */\n";
                };
            default -> "";
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T pick(Random random, Object... weightsAndValues) {
        int total = 0;
        for (int i = 0; i < weightsAndValues.length; i += 2) {
            total += (Integer) weightsAndValues[i];
        }
        int roll = random.nextInt(total);
        for (int i = 0; i < weightsAndValues.length; i += 2) {
            roll -= (Integer) weightsAndValues[i];
            if (roll < 0) {
                return (T) weightsAndValues[i + 1];
            }
        }
        throw new AssertionError();
    }
}
