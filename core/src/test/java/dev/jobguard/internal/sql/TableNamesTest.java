package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TableNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"invoices", "Invoices", "INVOICES", "\"Invoices\"", "`invoices`", "[Invoices]", " invoices "})
    void everySpellingOfOneTableNormalizesAlike(String name) {
        assertThat(TableNames.normalize(name)).isEqualTo("invoices");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "public.\"Invoices\"|public.invoices",
                "PUBLIC.INVOICES|public.invoices",
                "[dbo].[Invoices]|dbo.invoices",
                "`Billing`.`Invoices`|billing.invoices",
                "db.\"Sales\".Invoices|db.sales.invoices",
                "\"My Table\"|my table",
                "\"a\"\"b\"|a\"b",
                "[a]]b]|a]b",
                "#Tmp|#tmp"
            })
    void keepsQualifiersAndUnquotesEachPart(String name, String normalized) {
        assertThat(TableNames.normalize(name)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoices", "public.invoices", "db.sales.invoices", "my table", "#tmp"})
    void normalizedNamesStayAsTheyAre(String normalized) {
        assertThat(TableNames.normalize(normalized)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\"\"", "."})
    void blankNamesNormalizeToNull(String name) {
        assertThat(TableNames.normalize(name)).isNull();
    }

    @Test
    void namesWithAndWithoutTheirSchemaMayBeOneTableNamesWithTwoSchemasAreNot() {
        assertThat(TableNames.sameTable("invoices", "public.invoices")).isTrue();
        assertThat(TableNames.sameTable("public.invoices", "invoices")).isTrue();
        assertThat(TableNames.sameTable("public.invoices", "public.invoices")).isTrue();
        assertThat(TableNames.sameTable("a.invoices", "b.invoices")).isFalse();
        assertThat(TableNames.sameTable("invoices", "invoice")).isFalse();
        assertThat(TableNames.sameTable("x.invoices", "invoices_x")).isFalse();
    }
}
