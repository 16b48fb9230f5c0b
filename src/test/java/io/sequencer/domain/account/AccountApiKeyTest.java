package io.sequencer.domain.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AccountApiKeyTest {

    @Test
    void every_generated_key_has_its_own_prefix_and_secret_and_reads_back_from_its_text() {
        SecureRandom random = new SecureRandom();
        AccountApiKey first = AccountApiKey.generate(random);
        AccountApiKey second = AccountApiKey.generate(random);

        assertThat(first.prefix()).isNotEqualTo(second.prefix());
        assertThat(first.secret()).isNotEqualTo(second.secret());
        assertThat(AccountApiKey.parse(first.text())).contains(first);
    }

    @Test
    void a_key_shows_its_prefix_and_never_its_secret() {
        AccountApiKey key = AccountApiKey.generate(new SecureRandom());

        assertThat(key.toString()).isEqualTo("sqk_" + key.prefix() + "_…").doesNotContain(key.secret());
    }
}
