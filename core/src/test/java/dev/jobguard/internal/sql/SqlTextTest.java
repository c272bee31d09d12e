package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void foldsEachRunOfWhiteSpaceIntoOneSpaceAndStripsTheEnds() {
        assertThat(SqlText.shorten("  UPDATE t\n\tSET a = 1\r\n  WHERE  id = ?  "))
                .isEqualTo("UPDATE t SET a = 1 WHERE id = ?");
        assertThat(SqlText.shorten("SELECT 1")).isEqualTo("SELECT 1");
        assertThat(SqlText.shorten("a\u000Bb\fc")).isEqualTo("a b c");
    }

    @Test
    void keepsWhiteSpaceThatRegexWhiteSpaceDoesNotMatchAsItWas() {
        // a no-break space is not \s: it stays, as String.replaceAll("\\s+", " ") left it
        assertThat(SqlText.shorten("a\u00A0\u00A0b")).isEqualTo("a\u00A0\u00A0b");
    }

    @Test
    void cutsTextLongerThanTheMaximumAfterFolding() {
        String shortened = SqlText.shorten("x ".repeat(SqlText.MAX_LENGTH) + "   y");
        assertThat(shortened).hasSize(SqlText.MAX_LENGTH + 3).endsWith("...");
        assertThat(SqlText.shortenOrNull(null)).isNull();
    }
}
