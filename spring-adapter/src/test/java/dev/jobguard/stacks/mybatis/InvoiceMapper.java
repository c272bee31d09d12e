package dev.jobguard.stacks.mybatis;

import java.time.LocalDate;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** A MyBatis mapper, found by the starter's scan of {@code @Mapper} interfaces as in any application. */
@Mapper
public interface InvoiceMapper {

    @Select("SELECT id FROM mybatis_invoices WHERE status = 'OPEN' AND due_date < #{cutoff} ORDER BY id")
    List<Integer> dueBefore(LocalDate cutoff);

    @Update("UPDATE mybatis_invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < #{cutoff}")
    int cancelDueBefore(LocalDate cutoff);

    @Update("UPDATE mybatis_invoices SET status = 'CANCELLED' WHERE id = #{id}")
    int cancel(int id);

    @Insert("INSERT INTO mybatis_reminders (id, invoice_id, message) VALUES (#{id}, #{id}, 'cancelled: overdue')")
    int remind(int id);
}
