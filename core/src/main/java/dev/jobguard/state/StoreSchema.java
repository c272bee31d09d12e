package dev.jobguard.state;

import dev.jobguard.internal.dialect.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that jobguard's tables exist and, when allowed, creates them from the DDL resource of the database: the state
 * store's tables, or the change journal's. Internal to jobguard.
 */
public final class StoreSchema {
    /** Where the state store's DDL files are on the class path. */
    static final String RESOURCE_FOLDER = "dev/jobguard/state/";

    private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);

    private final String prefix;
    private final boolean autoCreate;
    private final List<String> tables;
    private final Owner owner;
    /** Columns added to a table after its first release: an older table gets them with ALTER TABLE. */
    private final List<AddedColumn> addedColumns;

    /**
     * Whose tables these are: its name in messages ("the state store"), the class-path folder of its DDL files, and
     * the setting that lets it create them.
     */
    private record Owner(String name, String folder, String setting) {}

    /** A nullable column added to an existing table; a TIMESTAMP(3) one is a DATETIME(3) on MySQL/MariaDB. */
    record AddedColumn(String table, String column, String type) {
        String ddl(Dialect dialect) {
            String typed = dialect == Dialect.MYSQL && type.equals("TIMESTAMP(3)") ? "DATETIME(3)" : type;
            return "ALTER TABLE " + table + " ADD COLUMN " + column + " " + typed;
        }
    }

    StoreSchema(String prefix, boolean autoCreate, StoreSql sql) {
        this(
                prefix,
                autoCreate,
                List.of(sql.jobTable, sql.runTable, sql.runTableTable, sql.actionTable, sql.statementTable),
                new Owner(
                        "the state store",
                        RESOURCE_FOLDER,
                        "JdbcStateStore.builder(dataSource).autoCreateTables(true)"),
                List.of(
                        new AddedColumn(sql.runTable, "rows_committed", "BIGINT"),
                        new AddedColumn(sql.runTable, "rows_rolled_back", "BIGINT"),
                        new AddedColumn(sql.runTable, "trip_before_execution", "BOOLEAN"),
                        new AddedColumn(sql.runTable, "occurrences", "BIGINT"),
                        new AddedColumn(sql.jobTable, "disabled_until", "TIMESTAMP(3)"),
                        new AddedColumn(sql.statementTable, "not_preflighted", "VARCHAR(500)")));
    }

    private StoreSchema(
            String prefix, boolean autoCreate, List<String> tables, Owner owner, List<AddedColumn> addedColumns) {
        this.prefix = prefix;
        this.autoCreate = autoCreate;
        this.tables = tables;
        this.owner = owner;
        this.addedColumns = addedColumns;
    }

    /** The change journal's tables ({@code <prefix>change}, {@code <prefix>revert}). */
    public static StoreSchema journal(String prefix, boolean autoCreate) {
        return new StoreSchema(
                prefix,
                autoCreate,
                List.of(prefix + "change", prefix + "revert"),
                new Owner(
                        "the change journal",
                        "dev/jobguard/journal/",
                        "ChangeJournal.builder(dataSource).autoCreateTables(true)"),
                List.of());
    }

    /**
     * Makes sure the tables exist, on an auto-commit connection.
     *
     * @throws StateStoreException when a table is missing and cannot or may not be created
     */
    public void ensure(Connection connection) throws SQLException {
        prepare(connection);
    }

    /**
     * Makes sure the tables exist, on an auto-commit connection.
     *
     * @return the database's dialect
     * @throws StateStoreException when a table is missing and cannot or may not be created
     */
    Dialect prepare(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        Dialect dialect = Dialect.of(metaData);
        if (!dialect.hasStoreSchema()) {
            throw new StateStoreException("jobguard: JdbcStateStore does not support the database '"
                    + metaData.getDatabaseProductName()
                    + "'; it supports PostgreSQL, MySQL/MariaDB and H2. Use another"
                    + " StateStore for this database.");
        }
        List<String> missing = missingTables(connection, metaData);
        if (missing.isEmpty()) {
            addMissingColumns(connection, metaData, dialect);
            return dialect;
        }
        if (!autoCreate) {
            List<String> alters = new ArrayList<>();
            for (AddedColumn added : addedColumns) {
                if (!missing.contains(added.table()) && !hasColumn(connection, metaData, added)) {
                    alters.add(added.ddl(dialect));
                }
            }
            throw new StateStoreException("jobguard: " + owner.name() + "'s table(s) " + String.join(", ", missing)
                    + " do not exist in the " + dialect.displayName() + " database, and autoCreateTables is off."
                    + " Create them with the DDL in the classpath resource " + dialect.schemaResource(owner.folder())
                    + " (in jobguard-core" + prefixNote() + ")"
                    + (alters.isEmpty() ? "" : ", and run: " + String.join("; ", alters))
                    + ", or turn autoCreateTables on: " + owner.setting());
        }
        SQLException failure = create(connection, dialect);
        missing = missingTables(connection, metaData);
        if (!missing.isEmpty()) {
            StateStoreException unable = new StateStoreException("jobguard: " + owner.name() + " could not create its"
                    + " table(s) " + String.join(", ", missing) + " in the " + dialect.displayName()
                    + " database from " + dialect.schemaResource(owner.folder())
                    + (failure == null ? "" : ": " + failure.getMessage())
                    + ". Create them yourself with that DDL" + prefixNote() + ", or grant the user CREATE rights.");
            if (failure != null) {
                unable.initCause(failure);
            }
            throw unable;
        }
        if (failure != null) {
            // another node created them at the same time
            log.debug("jobguard: tolerated a failure while creating the state store's tables", failure);
        }
        log.info(
                "jobguard: {}'s tables {} are ready, created from {}",
                owner.name(),
                tables,
                dialect.schemaResource(owner.folder()));
        addMissingColumns(connection, metaData, dialect); // the tables that existed may be older
        return dialect;
    }

    /**
     * Adds the columns a table created by an older jobguard lacks, or, with autoCreateTables off, names the ALTER
     * TABLE statements to run.
     */
    private void addMissingColumns(Connection connection, DatabaseMetaData metaData, Dialect dialect)
            throws SQLException {
        List<AddedColumn> missing = new ArrayList<>();
        for (AddedColumn added : addedColumns) {
            if (!hasColumn(connection, metaData, added)) {
                missing.add(added);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> ddl = missing.stream().map(added -> added.ddl(dialect)).toList();
        if (!autoCreate) {
            throw new StateStoreException("jobguard: " + owner.name()
                    + "'s table(s) lack column(s) this version writes, and"
                    + " autoCreateTables is off. Run: " + String.join("; ", ddl) + " (in the " + dialect.displayName()
                    + " database; the full DDL is in " + dialect.schemaResource(owner.folder())
                    + "), or turn autoCreateTables"
                    + " on: " + owner.setting());
        }
        try (Statement statement = connection.createStatement()) {
            for (String alter : ddl) {
                try {
                    statement.execute(alter);
                } catch (SQLException failed) {
                    log.debug("jobguard: tolerated a failure while adding a column (another node may have)", failed);
                }
            }
        }
        for (AddedColumn added : missing) {
            if (!hasColumn(connection, metaData, added)) {
                throw new StateStoreException("jobguard: " + owner.name() + " could not add the column "
                        + added.column()
                        + " to " + added.table() + ". Run yourself: " + added.ddl(dialect) + ", or grant the user ALTER"
                        + " rights.");
            }
        }
        log.info("jobguard: {} added column(s) to an older table: {}", owner.name(), ddl);
    }

    private static boolean hasColumn(Connection connection, DatabaseMetaData metaData, AddedColumn added)
            throws SQLException {
        try (ResultSet columns = metaData.getColumns(
                connection.getCatalog(),
                currentSchema(connection),
                searchPattern(identifierCase(metaData, added.table()), metaData.getSearchStringEscape()),
                searchPattern(identifierCase(metaData, added.column()), metaData.getSearchStringEscape()))) {
            return columns.next();
        }
    }

    /** The DDL statements of the dialect's resource, for this store's prefix. */
    List<String> statements(Dialect dialect) {
        String ddl = load(dialect.schemaResource(owner.folder()));
        if (!prefix.equals(JdbcStateStore.DEFAULT_TABLE_PREFIX)) {
            ddl = ddl.replace(JdbcStateStore.DEFAULT_TABLE_PREFIX, prefix);
        }
        StringBuilder code = new StringBuilder();
        for (String line : ddl.split("\\R", -1)) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : code.toString().split(";", -1)) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /** Runs every statement; returns the first failure, if any, for the caller to judge once it looked again. */
    private @Nullable SQLException create(Connection connection, Dialect dialect) {
        SQLException first = null;
        try (Statement statement = connection.createStatement()) {
            for (String ddl : statements(dialect)) {
                try {
                    statement.execute(ddl);
                } catch (SQLException failed) {
                    first = first == null ? failed : first;
                }
            }
        } catch (SQLException failed) {
            first = first == null ? failed : first;
        }
        return first;
    }

    private List<String> missingTables(Connection connection, DatabaseMetaData metaData) throws SQLException {
        Set<String> found = new HashSet<>();
        String pattern = searchPattern(identifierCase(metaData, prefix), metaData.getSearchStringEscape()) + "%";
        try (ResultSet rows = metaData.getTables(connection.getCatalog(), currentSchema(connection), pattern, null)) {
            while (rows.next()) {
                found.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String table : tables) {
            if (!found.contains(table.toLowerCase(Locale.ROOT))) {
                missing.add(table);
            }
        }
        return missing;
    }

    private String prefixNote() {
        return prefix.equals(JdbcStateStore.DEFAULT_TABLE_PREFIX)
                ? ""
                : "; replace the prefix " + JdbcStateStore.DEFAULT_TABLE_PREFIX + " with " + prefix;
    }

    /** The connection's current schema, or null when the driver cannot tell. */
    public static @Nullable String currentSchema(Connection connection) {
        try {
            return connection.getSchema();
        } catch (SQLException | AbstractMethodError unknown) {
            return null;
        }
    }

    /** The name as the database stores an unquoted identifier. */
    public static String identifierCase(DatabaseMetaData metaData, String name) throws SQLException {
        if (metaData.storesUpperCaseIdentifiers()) {
            return name.toUpperCase(Locale.ROOT);
        }
        if (metaData.storesLowerCaseIdentifiers()) {
            return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }

    private static String searchPattern(String name, String escape) {
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace("_", escape + "_");
    }

    private static String load(String resource) {
        try (InputStream in = StoreSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StateStoreException("jobguard: the DDL resource " + resource + " is missing from the class"
                        + " path; is jobguard-core complete?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("jobguard: could not read " + resource, unreadable);
        }
    }
}
