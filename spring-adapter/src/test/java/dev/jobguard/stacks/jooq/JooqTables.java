package dev.jobguard.stacks.jooq;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.Internal;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;
import org.jooq.impl.UpdatableRecordImpl;

/**
 * The tables as jOOQ's code generator would describe them (written by hand here, so the test needs no generation
 * step). Names are unquoted, as the tables were created, so that H2 (which folds them to upper case) finds them.
 */
public final class JooqTables {

    public static final Invoices INVOICES = new Invoices();
    public static final Reminders REMINDERS = new Reminders();

    private JooqTables() {}

    public static final class Invoices extends TableImpl<InvoiceRecord> {
        public final TableField<InvoiceRecord, Integer> ID =
                createField(DSL.unquotedName("id"), SQLDataType.INTEGER.nullable(false), this, "");
        public final TableField<InvoiceRecord, Integer> CUSTOMER_ID =
                createField(DSL.unquotedName("customer_id"), SQLDataType.INTEGER.nullable(false), this, "");
        public final TableField<InvoiceRecord, BigDecimal> AMOUNT = createField(
                DSL.unquotedName("amount"), SQLDataType.DECIMAL(12, 2).nullable(false), this, "");
        public final TableField<InvoiceRecord, LocalDate> DUE_DATE =
                createField(DSL.unquotedName("due_date"), SQLDataType.LOCALDATE.nullable(false), this, "");
        public final TableField<InvoiceRecord, String> STATUS =
                createField(DSL.unquotedName("status"), SQLDataType.VARCHAR(20).nullable(false), this, "");

        private Invoices() {
            super(DSL.unquotedName(JooqInvoiceApp.PREFIX + "invoices"));
        }

        @Override
        public Class<InvoiceRecord> getRecordType() {
            return InvoiceRecord.class;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"}) // as jOOQ's generated code does
        public UniqueKey<InvoiceRecord> getPrimaryKey() {
            return Internal.createUniqueKey(this, DSL.unquotedName("pk_invoices"), new TableField[] {ID}, true);
        }
    }

    public static final class InvoiceRecord extends UpdatableRecordImpl<InvoiceRecord> {
        public InvoiceRecord() {
            super(INVOICES);
        }
    }

    public static final class Reminders extends TableImpl<ReminderRecord> {
        public final TableField<ReminderRecord, Integer> ID =
                createField(DSL.unquotedName("id"), SQLDataType.INTEGER.nullable(false), this, "");
        public final TableField<ReminderRecord, Integer> INVOICE_ID =
                createField(DSL.unquotedName("invoice_id"), SQLDataType.INTEGER.nullable(false), this, "");
        public final TableField<ReminderRecord, String> MESSAGE = createField(
                DSL.unquotedName("message"), SQLDataType.VARCHAR(200).nullable(false), this, "");

        private Reminders() {
            super(DSL.unquotedName(JooqInvoiceApp.PREFIX + "reminders"));
        }

        @Override
        public Class<ReminderRecord> getRecordType() {
            return ReminderRecord.class;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"}) // as jOOQ's generated code does
        public UniqueKey<ReminderRecord> getPrimaryKey() {
            return Internal.createUniqueKey(this, DSL.unquotedName("pk_reminders"), new TableField[] {ID}, true);
        }
    }

    public static final class ReminderRecord extends UpdatableRecordImpl<ReminderRecord> {
        public ReminderRecord() {
            super(REMINDERS);
        }
    }
}
