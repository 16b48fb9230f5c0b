package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "welcome-2026", "Step_1.v2", "1234567890123456"})
    void letters_digits_dash_dot_and_underscore_are_valid_ids(String id) {
        assertThat(Ids.problemWith(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "a#b", "a?b", "a b", "a'b", "é", "a\u0000b", "a|b", "' or true"})
    void anything_else_is_refused_with_the_field_named(String id) {
        assertThat(Ids.problemWith(id)).isPresent();
        assertThatThrownBy(() -> Ids.require("subscriberId", id))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("subscriberId"));
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void ids_are_at_most_128_characters(int length) {
        assertThat(Ids.problemWith("x".repeat(length)).isEmpty()).isEqualTo(length <= 128);
    }
}
