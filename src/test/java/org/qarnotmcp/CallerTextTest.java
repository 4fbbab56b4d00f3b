package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerTextTest {

    @Test
    void controlCharactersCannotStartANewLogLine() {
        assertThat(CallerText.oneLine("a\nINFO forged\r\tb", 100)).isEqualTo("a?INFO forged??b");
    }

    @Test
    void longTextIsCutAtTheLimitWithAMark() {
        assertThat(CallerText.oneLine("x".repeat(10), 10)).isEqualTo("x".repeat(10));
        assertThat(CallerText.oneLine("x".repeat(11), 10)).isEqualTo("x".repeat(10) + "...");
    }
}
