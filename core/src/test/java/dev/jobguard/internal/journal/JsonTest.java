package dev.jobguard.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void imagesRoundTripWithTheirTokensUnchanged() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("id", "42");
        tokens.put("amount", "12.50");
        tokens.put("active", "true");
        tokens.put("note", Json.string("quote \" backslash \\ newline \n tab \t control \u0001 unicode é"));
        tokens.put("missing", "null");
        tokens.put("we\"ird", Json.string(""));

        String json = Json.object(tokens);

        assertThat(Json.parseObject(json)).containsExactlyEntriesOf(tokens);
        assertThat(Json.unquote(Json.parseObject(json).get("note")))
                .isEqualTo("quote \" backslash \\ newline \n tab \t control \u0001 unicode é");
        assertThat(Json.unquote("null")).isNull();
    }

    @Test
    void aStringIsWrittenTheSameWhereverItsFirstEscapeIs() {
        assertThat(Json.string("plain text é")).isEqualTo("\"plain text é\"");
        assertThat(Json.string("")).isEqualTo("\"\"");
        assertThat(Json.string("\"")).isEqualTo("\"\\\"\"");
        assertThat(Json.string("a\\b\nc\u0001d\u2028e\u007f")).isEqualTo("\"a\\\\b\\nc\\u0001d\\u2028e\\u007f\"");
        assertThat(Json.string("tail\t")).isEqualTo("\"tail\\t\"");
        assertThat(Json.name("we\"ird")).isEqualTo(Json.string("we\"ird")).isSameAs(Json.name("we\"ird"));
    }

    @Test
    void anEmptyObjectParses() {
        assertThat(Json.parseObject(" { } ")).isEmpty();
    }

    @Test
    void aDamagedImageIsRefusedWithAMessage() {
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1")).hasMessageContaining("journal image");
    }
}
