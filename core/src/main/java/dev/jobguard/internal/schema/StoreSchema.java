package dev.jobguard.internal.schema;

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
 * store's tables, or the change journal's. Each owner builds its own (the state store from its SQL, the journal with
 * {@link #journal}) and turns a {@link SchemaException} into its own exception. Internal to jobguard.
 */
public final class StoreSchema {
    /**
     * The table prefix the DDL resources are written with ({@code JdbcStateStore}'s and {@code ChangeJournal}'s
     * default); another prefix replaces it in the statements run.
     */
    public static final String DDL_TABLE_PREFIX = "jobguard_";

    private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);

    private final String prefix;
    private final boolean autoCreate;
    private final List<String> tables;
    private final Owner owner;
    /** Columns added to a table after its first release: an older table gets them with ALTER TABLE. */
    private final List<AddedColumn> addedColumns;

    /**
     * Whose tables these are: its name in messages ("the state store"), the class-path folder of its DDL files
     * ({@code dev/jobguard/state/}), and the setting that lets it create them, as a user writes it.
     */
    public record Owner(String name, String folder, String setting) {}

    /** A nullable column added to an existing table; a TIMESTAMP(3) one is a DATETIME(3) on MySQL/MariaDB. */
    public record AddedColumn(String table, String column, String type) {
        String ddl(Dialect dialect) {
            String typed = dialect == Dialect.MYSQL && type.equals("TIMESTAMP(3)") ? "DATETIME(3)" : type;
            return "ALTER TABLE " + table + " ADD COLUMN " + column + " " + typed;
        }
    }

    /**
     * The tables of one owner.
     *
     * @param prefix the prefix of the table names, put in place of {@link #DDL_TABLE_PREFIX} in the DDL
     * @param autoCreate whether missing tables and columns are created
     * @param tables every table the owner needs
     * @param addedColumns the columns added to its tables after their first release
     */
    public StoreSchema(
            Owner owner, String prefix, boolean autoCreate, List<String> tables, List<AddedColumn> addedColumns) {
        this.owner = owner;
        this.prefix = prefix;
        this.autoCreate = autoCreate;
        this.tables = List.copyOf(tables);
        this.addedColumns = List.copyOf(addedColumns);
    }

    /** The change journal's tables ({@code <prefix>change}, {@code <prefix>revert}). */
    public static StoreSchema journal(String prefix, boolean autoCreate) {
        return new StoreSchema(
                new Owner(
                        "the change journal",
                        "dev/jobguard/journal/",
                        "ChangeJournal.builder(dataSource).autoCreateTables(true)"),
                prefix,
                autoCreate,
                List.of(prefix + "change", prefix + "revert"),
                List.of());
    }

    /**
     * Makes sure the tables exist, on an auto-commit connection.
     *
     * @throws SchemaException when a table is missing and cannot or may not be created
     */
    public void ensure(Connection connection) throws SQLException {
        prepare(connection);
    }

    /**
     * Makes sure the tables exist, on an auto-commit connection.
     *
     * @return the database's dialect
     * @throws SchemaException when a table is missing and cannot or may not be created
     */
    public Dialect prepare(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        Dialect dialect = Dialect.of(metaData);
        if (!dialect.hasStoreSchema()) {
            throw new SchemaException("jobguard: JdbcStateStore does not support the database '"
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
            throw new SchemaException("jobguard: " + owner.name() + "'s table(s) " + String.join(", ", missing)
                    + " do not exist in the " + dialect.displayName() + " database, and autoCreateTables is off."
                    + " Create them with the DDL in the classpath resource " + dialect.schemaResource(owner.folder())
                    + " (in jobguard-core" + prefixNote() + ")"
                    + (alters.isEmpty() ? "" : ", and run: " + String.join("; ", alters))
                    + ", or turn autoCreateTables on: " + owner.setting());
        }
        SQLException failure = create(connection, dialect);
        missing = missingTables(connection, metaData);
        if (!missing.isEmpty()) {
            throw new SchemaException(
                    "jobguard: " + owner.name() + " could not create its table(s) " + String.join(", ", missing)
                            + " in the " + dialect.displayName() + " database from "
                            + dialect.schemaResource(owner.folder())
                            + (failure == null ? "" : ": " + failure.getMessage())
                            + ". Create them yourself with that DDL" + prefixNote() + ", or grant the user CREATE"
                            + " rights.",
                    failure);
        }
        if (failure != null) {
            // another node created them at the same time
            log.debug("jobguard: tolerated a failure while creating {}'s tables", owner.name(), failure);
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
            throw new SchemaException("jobguard: " + owner.name()
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
                throw new SchemaException("jobguard: " + owner.name() + " could not add the column "
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
                Identifiers.currentSchema(connection),
                searchPattern(Identifiers.identifierCase(metaData, added.table()), metaData.getSearchStringEscape()),
                searchPattern(
                        Identifiers.identifierCase(metaData, added.column()), metaData.getSearchStringEscape()))) {
            return columns.next();
        }
    }

    /** The DDL statements of the dialect's resource, for this store's prefix. */
    List<String> statements(Dialect dialect) {
        String ddl = load(dialect.schemaResource(owner.folder()));
        if (!prefix.equals(DDL_TABLE_PREFIX)) {
            ddl = ddl.replace(DDL_TABLE_PREFIX, prefix);
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
        String pattern =
                searchPattern(Identifiers.identifierCase(metaData, prefix), metaData.getSearchStringEscape()) + "%";
        try (ResultSet rows =
                metaData.getTables(connection.getCatalog(), Identifiers.currentSchema(connection), pattern, null)) {
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
        return prefix.equals(DDL_TABLE_PREFIX) ? "" : "; replace the prefix " + DDL_TABLE_PREFIX + " with " + prefix;
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
                throw new SchemaException("jobguard: the DDL resource " + resource + " is missing from the class"
                        + " path; is jobguard-core complete?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("jobguard: could not read " + resource, unreadable);
        }
    }
}
