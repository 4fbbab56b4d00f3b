package org.qarnotmcp.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.qarnotmcp.ToolException;

class BearerCredentialsTest {

    @Test
    void readsTheKeyWithAnyCaseOfTheScheme() {
        assertThat(BearerCredentials.parse("Bearer abc.DEF-123").reveal()).isEqualTo("abc.DEF-123");
        assertThat(BearerCredentials.parse("bearer abc").reveal()).isEqualTo("abc");
    }

    @Test
    void theKeyObjectNeverPrintsTheKey() {
        QarnotKey key = BearerCredentials.parse("Bearer s3cr3t-value");
        assertThat(key.toString()).doesNotContain("s3cr3t").startsWith("QarnotKey[u-");
        assertThat(key.userId()).matches("u-[0-9a-f]{12}").isEqualTo(BearerCredentials.parse("Bearer s3cr3t-value").userId());
        assertThat(key.userId()).isNotEqualTo(BearerCredentials.parse("Bearer other").userId());
    }

    @Test
    void refusesWhatIsNotAUsableBearerKeyWithoutEchoingIt() {
        String[][] cases = {
            {null, "No Qarnot API key"}, {"", "No Qarnot API key"}, {"s3cr3t", "Bearer scheme"},
            {"Basic s3cr3t", "Bearer scheme"}, {"Bearer", "empty"}, {"Bearer ", "empty"},
            {"Bearer s3cr3t more", "whitespace"}, {"Bearer s3cr3t\u0007", "control"}, {"Bearer s3cr3t\u00e9", "non-ASCII"},
            {"Bearer " + "s".repeat(513), "513 characters"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> BearerCredentials.parse(c[0])).as(String.valueOf(c[0]))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining(c[1])
                    .hasMessageContaining("Authorization: Bearer <your Qarnot API key>")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
        }
    }
}
