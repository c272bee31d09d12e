package dev.jobguard.stacks.jpa;

import dev.jobguard.stacks.jpa.JpaInvoiceApp.Invoice;
import java.time.LocalDate;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** A Spring Data repository, found by Boot's repository scanning as in any application. */
public interface InvoiceRepository extends JpaRepository<Invoice, Integer> {
    List<Invoice> findByStatusAndDueDateBefore(String status, LocalDate dueDate);

    @Modifying
    @Query("update JpaInvoice i set i.status = 'CANCELLED'" + " where i.status = 'OPEN' and i.dueDate < :cutoff")
    int cancelAllDueBefore(@Param("cutoff") LocalDate cutoff);
}
