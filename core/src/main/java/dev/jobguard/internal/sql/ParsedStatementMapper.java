package dev.jobguard.internal.sql;

import static dev.jobguard.internal.sql.StatementKind.CALL;
import static dev.jobguard.internal.sql.StatementKind.DDL;
import static dev.jobguard.internal.sql.StatementKind.DELETE;
import static dev.jobguard.internal.sql.StatementKind.DROP_TABLE;
import static dev.jobguard.internal.sql.StatementKind.INSERT;
import static dev.jobguard.internal.sql.StatementKind.LOCK;
import static dev.jobguard.internal.sql.StatementKind.MERGE;
import static dev.jobguard.internal.sql.StatementKind.READ;
import static dev.jobguard.internal.sql.StatementKind.TRANSACTION;
import static dev.jobguard.internal.sql.StatementKind.TRUNCATE;
import static dev.jobguard.internal.sql.StatementKind.UNKNOWN;
import static dev.jobguard.internal.sql.StatementKind.UPDATE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Block;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.CreateFunctionalStatement;
import net.sf.jsqlparser.statement.DeclareStatement;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.DoStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.IfElseStatement;
import net.sf.jsqlparser.statement.PurgeStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SessionStatement;
import net.sf.jsqlparser.statement.SetIdentityInsertStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterSession;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.imprt.Import;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertBulk;
import net.sf.jsqlparser.statement.insert.OracleMultiInsertBranch;
import net.sf.jsqlparser.statement.insert.OracleMultiInsertClause;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.lock.LockStatement;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.oracle.OracleBlock;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import org.jspecify.annotations.Nullable;

/** Maps a statement parsed by JSqlParser to its {@link SqlStatementInfo}. */
final class ParsedStatementMapper {

    /** Packages whose statements all change the schema, privileges or statistics. */
    private static final List<String> DDL_PACKAGES = List.of(
            "net.sf.jsqlparser.statement.create.",
            "net.sf.jsqlparser.statement.alter.",
            "net.sf.jsqlparser.statement.drop.",
            "net.sf.jsqlparser.statement.grant.",
            "net.sf.jsqlparser.statement.role.",
            "net.sf.jsqlparser.statement.comment.",
            "net.sf.jsqlparser.statement.analyze.",
            "net.sf.jsqlparser.statement.refresh.");

    private static final Set<String> TEMPORARY_OPTIONS = Set.of("TEMPORARY", "TEMP");

    private ParsedStatementMapper() {}

    /** The classification of a parsed statement, or null when the parser passed the statement through unparsed. */
    static @Nullable SqlStatementInfo map(@Nullable Statement statement, String sql) {
        if (statement == null || statement instanceof UnsupportedStatement) {
            return null;
        }
        SqlStatementInfo info = shape(statement).toInfo(true, sql);
        return statement instanceof Insert insert && changesOneRow(insert) ? info.changingOneRow() : info;
    }

    /**
     * A single-row {@code INSERT ... VALUES (...)} or {@code INSERT ... SET}: it inserts exactly one row or fails.
     * Not with IGNORE, ON CONFLICT or ON DUPLICATE KEY UPDATE (none or two rows on MySQL), a WITH clause, a query
     * as its source, or a VALUES list whose items are all parenthesized (several rows of one column, or one row of
     * row values: not told apart here).
     */
    @SuppressWarnings("deprecation") // JSqlParser 5.4 still reports these forms only through the deprecated getters
    private static boolean changesOneRow(Insert insert) {
        if (insert.isModifierIgnore()
                || insert.getConflictAction() != null
                || insert.isUseDuplicate()
                || (insert.getWithItemsList() != null
                        && !insert.getWithItemsList().isEmpty())
                || insert.getOracleMultiInsertBranches() != null) {
            return false;
        }
        Select source = insert.getSelect();
        if (source == null) {
            return insert.getSetUpdateSets() != null
                    && !insert.getSetUpdateSets().isEmpty();
        }
        if (!(source instanceof Values values) || values.getExpressions() == null) {
            return false;
        }
        ExpressionList<?> row = values.getExpressions();
        if (!(row instanceof ParenthesedExpressionList<?>) || row.isEmpty()) {
            return false;
        }
        for (Object item : row) {
            if (!(item instanceof ParenthesedExpressionList<?>)) {
                return true;
            }
        }
        return false;
    }

    private static StatementShape shape(Statement statement) {
        if (statement instanceof Select select) {
            return select(select);
        }
        if (statement instanceof Insert insert) {
            return new StatementShape(INSERT, name(insertTarget(insert)), false, returns(insert));
        }
        if (statement instanceof Update update) {
            return new StatementShape(UPDATE, updateTarget(update), false, returns(update));
        }
        if (statement instanceof Delete delete) {
            return new StatementShape(DELETE, deleteTarget(delete), false, returns(delete));
        }
        if (statement instanceof Merge merge) {
            boolean returns = merge.getReturningClause() != null || merge.getOutputClause() != null;
            return new StatementShape(MERGE, name(merge.getTable()), false, returns);
        }
        if (statement instanceof Upsert upsert) {
            return StatementShape.on(MERGE, name(upsert.getTable()));
        }
        if (statement instanceof InsertBulk bulk) {
            return StatementShape.on(INSERT, name(bulk.getTable()));
        }
        if (statement instanceof Import anImport) {
            return StatementShape.on(INSERT, name(anImport.getTable()));
        }
        if (statement instanceof Truncate truncate) {
            return StatementShape.on(TRUNCATE, name(first(truncate.getTables(), truncate.getTable())));
        }
        if (statement instanceof LockStatement lock) {
            return StatementShape.on(LOCK, name(lock.getTable()));
        }
        if (statement instanceof ExplainStatement explain) {
            return explain(explain);
        }
        return schemaOrControl(statement);
    }

    private static StatementShape schemaOrControl(Statement statement) {
        if (statement instanceof Drop drop) {
            return drop(drop);
        }
        if (statement instanceof CreateTable create) {
            return createTable(create);
        }
        if (statement instanceof Alter alter) {
            return StatementShape.on(DDL, name(alter.getTable()));
        }
        if (statement instanceof RenameTableStatement rename) {
            Table renamed = rename.getTableNames().stream()
                    .findFirst()
                    .map(Map.Entry::getKey)
                    .orElse(null);
            return StatementShape.on(DDL, name(renamed));
        }
        if (statement instanceof Execute
                || statement instanceof DoStatement
                || statement instanceof Block
                || statement instanceof OracleBlock
                || statement instanceof IfElseStatement) {
            return StatementShape.of(CALL);
        }
        if (statement instanceof Commit
                || statement instanceof RollbackStatement
                || statement instanceof SavepointStatement
                || statement instanceof SetStatement
                || statement instanceof ResetStatement
                || statement instanceof UseStatement
                || statement instanceof DeclareStatement
                || statement instanceof SessionStatement
                || statement instanceof AlterSession
                || statement instanceof SetIdentityInsertStatement) {
            return StatementShape.of(TRANSACTION);
        }
        if (statement instanceof ShowStatement
                || statement instanceof ShowColumnsStatement
                || statement instanceof ShowIndexStatement
                || statement instanceof ShowTablesStatement
                || statement instanceof DescribeStatement) {
            return StatementShape.of(READ);
        }
        if (statement instanceof CreateFunctionalStatement
                || statement instanceof PurgeStatement
                || isInDdlPackage(statement)) {
            return StatementShape.of(DDL);
        }
        return StatementShape.of(UNKNOWN);
    }

    /** A SELECT reads, unless a WITH item modifies data or it is {@code SELECT ... INTO new_table}. */
    private static StatementShape select(Select select) {
        List<WithItem<?>> withItems = select.getWithItemsList();
        if (withItems != null) {
            for (WithItem<?> item : withItems) {
                Statement inner = innerWrite(item);
                if (inner != null) {
                    return shape(inner).returningRows();
                }
            }
        }
        if (select instanceof PlainSelect plain && plain.getIntoTables() != null) {
            for (Table into : plain.getIntoTables()) {
                String table = name(into);
                if (table != null && !table.startsWith("@")) {
                    return new StatementShape(DDL, table, TableNames.isTransactSqlTemporary(table), false);
                }
            }
        }
        return StatementShape.of(READ);
    }

    private static @Nullable Statement innerWrite(WithItem<?> item) {
        Statement statement = item.getStatement();
        if (statement instanceof ParenthesedInsert insert) {
            return insert.getInsert();
        }
        if (statement instanceof ParenthesedUpdate update) {
            return update.getUpdate();
        }
        return statement instanceof ParenthesedDelete delete ? delete.getDelete() : null;
    }

    /** EXPLAIN ANALYZE executes the statement it explains. */
    private static StatementShape explain(ExplainStatement explain) {
        boolean analyze = explain.getOption(ExplainStatement.OptionType.ANALYZE) != null;
        if (analyze && explain.getStatement() != null) {
            StatementShape inner = shape(explain.getStatement());
            if (inner.kind().isWrite()) {
                return inner.returningRows();
            }
        }
        return StatementShape.of(READ);
    }

    private static StatementShape drop(Drop drop) {
        String table = name(first(drop.getNames(), drop.getName()));
        if (!"TABLE".equalsIgnoreCase(drop.getType())) {
            return StatementShape.of(DDL);
        }
        if (drop.isUsingTemporary() || TableNames.isTransactSqlTemporary(table)) {
            return new StatementShape(DDL, table, true, false);
        }
        return new StatementShape(DROP_TABLE, table, false, false);
    }

    private static StatementShape createTable(CreateTable create) {
        List<String> options = create.getCreateOptionsStrings();
        boolean temporary = options != null
                && options.stream().anyMatch(o -> TEMPORARY_OPTIONS.contains(o.toUpperCase(Locale.ROOT)));
        String table = name(create.getTable());
        return new StatementShape(DDL, table, temporary || TableNames.isTransactSqlTemporary(table), false);
    }

    private static @Nullable Table insertTarget(Insert insert) {
        if (insert.getTable() != null || insert.getOracleMultiInsertBranches() == null) {
            return insert.getTable();
        }
        for (OracleMultiInsertBranch branch : insert.getOracleMultiInsertBranches()) {
            for (OracleMultiInsertClause clause : branch.getClauses()) {
                if (clause.getTable() != null) {
                    return clause.getTable();
                }
            }
        }
        return null;
    }

    /**
     * The table an UPDATE changes. A MySQL/MariaDB multi-table UPDATE ({@code UPDATE a JOIN b ON ... SET b.x = ...},
     * {@code UPDATE a, b SET b.x = ...}) changes the table its SET columns name, which need not be the first one
     * listed; its first qualified SET column decides.
     */
    private static @Nullable String updateTarget(Update update) {
        List<@Nullable FromItem> sources = new ArrayList<>();
        sources.add(update.getTable());
        sources.add(update.getFromItem());
        addJoined(sources, update.getStartJoins());
        addJoined(sources, update.getJoins());
        Table set = firstSetQualifier(update);
        return resolveAlias(set != null ? set : update.getTable(), sources);
    }

    private static @Nullable Table firstSetQualifier(Update update) {
        if (update.getUpdateSets() == null) {
            return null;
        }
        for (UpdateSet updateSet : update.getUpdateSets()) {
            for (Column column : updateSet.getColumns()) {
                Table qualifier = column.getTable();
                if (qualifier != null && qualifier.getName() != null) {
                    return qualifier;
                }
            }
        }
        return null;
    }

    /** MySQL {@code DELETE t1, t2 FROM t1 JOIN t2 ...} deletes from its first listed table. */
    private static @Nullable String deleteTarget(Delete delete) {
        if (delete.getTables() == null || delete.getTables().isEmpty()) {
            return name(delete.getTable());
        }
        List<@Nullable FromItem> sources = new ArrayList<>();
        sources.add(delete.getTable());
        addJoined(sources, delete.getJoins());
        if (delete.getUsingFromItemList() != null) {
            sources.addAll(delete.getUsingFromItemList());
        }
        return resolveAlias(delete.getTables().get(0), sources);
    }

    private static void addJoined(List<@Nullable FromItem> sources, @Nullable List<Join> joins) {
        if (joins != null) {
            joins.forEach(join -> sources.add(join.getFromItem()));
        }
    }

    /** Resolves a target that names an alias ({@code UPDATE a SET ... FROM invoices a}) to the aliased table. */
    private static @Nullable String resolveAlias(@Nullable Table target, List<@Nullable FromItem> sources) {
        String name = name(target);
        if (name == null || name.contains(".")) {
            return name;
        }
        for (FromItem source : sources) {
            Alias alias = source == null ? null : source.getAlias();
            if (source instanceof Table table && alias != null && name.equals(TableNames.normalize(alias.getName()))) {
                return name(table);
            }
        }
        return name;
    }

    private static boolean returns(Insert insert) {
        return insert.getReturningClause() != null || insert.getOutputClause() != null;
    }

    private static boolean returns(Update update) {
        return update.getReturningClause() != null || update.getOutputClause() != null;
    }

    private static boolean returns(Delete delete) {
        return delete.getReturningClause() != null || delete.getOutputClause() != null;
    }

    private static @Nullable Table first(@Nullable List<Table> tables, @Nullable Table fallback) {
        return tables == null || tables.isEmpty() ? fallback : tables.get(0);
    }

    private static @Nullable String name(@Nullable Table table) {
        return table == null ? null : TableNames.normalize(table.getFullyQualifiedName());
    }

    private static boolean isInDdlPackage(Statement statement) {
        String className = statement.getClass().getName();
        return DDL_PACKAGES.stream().anyMatch(className::startsWith);
    }
}
