package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes as the Functions host matches them, complex segments ({@code {stepId}:preview}) included. */
class RouteTemplateTest {
    private final RouteTemplate preview = RouteTemplate.parse("accounts/{account}/sequences/{sequenceId}/steps/{stepId}:preview");

    @Test
    void a_parameter_followed_by_a_literal_takes_the_segment_before_the_literal() {
        assertThat(preview.match("accounts/acme/sequences/welcome/steps/hi.there:preview"))
                .contains(Map.of("account", "acme", "sequenceId", "welcome", "stepId", "hi.there"));
        assertThat(preview.match("accounts/acme/sequences/welcome/steps/hi%3Apreview"))
                .contains(Map.of("account", "acme", "sequenceId", "welcome", "stepId", "hi"));
    }

    @Test
    void a_segment_without_the_literal_or_with_nothing_before_it_does_not_match() {
        assertThat(preview.match("accounts/acme/sequences/welcome/steps/hi")).isEmpty();
        assertThat(preview.match("accounts/acme/sequences/welcome/steps/hi:test")).isEmpty();
        assertThat(preview.match("accounts/acme/sequences/welcome/steps/:preview")).isEmpty();
    }

    @Test
    void a_complex_segment_counts_as_a_literal_one() {
        assertThat(preview.specificity()).isEqualTo(RouteTemplate.parse("accounts/{a}/sequences/{s}/steps/x").specificity());
    }
}
