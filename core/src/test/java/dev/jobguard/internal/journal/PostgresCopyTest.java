package dev.jobguard.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresCopyTest {

    private static String copyText(String value) {
        StringBuilder data = new StringBuilder();
        PostgresCopy.append(data, value);
        return data.toString();
    }

    @Test
    void valuesAreWrittenInCopysTextFormat() {
        assertThat(copyText(null)).isEqualTo("\\N");
        assertThat(copyText("")).isEmpty();
        assertThat(copyText("{\"status\":\"OPEN\"}")).isEqualTo("{\"status\":\"OPEN\"}");
        assertThat(copyText("a\\b\tc\nd\re")).isEqualTo("a\\\\b\\tc\\nd\\re");
        assertThat(copyText("\\\\")).isEqualTo("\\\\\\\\");
        assertThat(copyText("\nend")).isEqualTo("\\nend");
        assertThat(copyText("start\t")).isEqualTo("start\\t");
    }
}
