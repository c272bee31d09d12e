package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
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

    @Test
    void foldsAsTheRegularExpressionItReplacesOnRandomText() {
        Random random = new Random(42);
        char[] alphabet = {' ', ' ', '\t', '\n', '\r', '\f', '\u000B', '\u00A0', '\u2003', 'a', 'b', '?', '\''};
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String expected = text.toString().strip().replaceAll("\\s+", " ");
            assertThat(SqlText.shorten(text.toString())).as("%s", text).isEqualTo(expected);
        }
    }
}
