package io.sequencer.domain.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Engagement;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AudienceTest {
    private static final Condition VIP = new Condition.AttributeTest("tier", AttributeOperator.IS,
            new AttributeValue.Text("vip"));
    private static final Condition OPENED_FIRST = new Condition.StepWas(new StepRef.Named("one"), Engagement.READ, false);

    @Test
    void the_digest_tells_apart_audiences_naming_other_profile_values() {
        AudienceMember plain = AudienceMember.of("ann");
        AudienceMember vip = new AudienceMember("ann", Optional.empty(), Map.of("tier", Optional.of(new AttributeValue.Text("vip"))));
        AudienceMember gold = new AudienceMember("ann", Optional.empty(), Map.of("tier", Optional.of(new AttributeValue.Text("gold"))));

        String digest = Audience.of(List.of(vip), false, Optional.empty()).listedDigest();

        assertThat(Audience.of(List.of(vip), false, Optional.empty()).listedDigest()).as("a repeated request").isEqualTo(digest);
        assertThat(Audience.of(List.of(gold), false, Optional.empty()).listedDigest()).isNotEqualTo(digest);
        assertThat(Audience.of(List.of(plain), false, Optional.empty()).listedDigest()).isNotEqualTo(digest);
    }

    @Test
    void an_audience_condition_may_test_attributes_only_however_deeply_nested() {
        Condition nestedAll = new Condition.Any(List.of(VIP, new Condition.All(List.of(VIP, OPENED_FIRST))));
        Condition nestedAny = new Condition.All(List.of(VIP, new Condition.Any(List.of(OPENED_FIRST))));

        assertThat(Audience.testsAttributesOnly(new Condition.All(List.of(VIP, new Condition.Any(List.of(VIP)))))).isTrue();
        assertThat(Audience.testsAttributesOnly(OPENED_FIRST)).isFalse();
        assertThat(Audience.testsAttributesOnly(nestedAll)).isFalse();
        assertThat(Audience.testsAttributesOnly(nestedAny)).isFalse();
        assertThatThrownBy(() -> new Audience(0, "", false, Optional.of(nestedAll)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_member_changes_the_profile_when_it_carries_a_time_zone_or_attributes() {
        assertThat(AudienceMember.of("ann").changesProfile()).isFalse();
        assertThat(new AudienceMember("ann", Optional.of(ZoneId.of("Europe/Paris")), Map.of()).changesProfile()).isTrue();
        assertThat(new AudienceMember("ann", Optional.empty(), Map.of("tier", Optional.empty())).changesProfile())
                .as("removing an attribute is a change too").isTrue();
    }

    @Test
    void an_audience_names_up_to_its_maximum_of_subscribers_or_else_everyone_or_a_match() {
        assertThat(new Audience(Audience.MAX_LISTED, "d", false, Optional.empty()).listed()).isEqualTo(Audience.MAX_LISTED);
        assertThatThrownBy(() -> new Audience(Audience.MAX_LISTED + 1, "d", false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Audience(0, "", true, Optional.empty()).scansAccount()).isTrue();
        assertThat(new Audience(0, "", false, Optional.of(VIP)).scansAccount()).isTrue();
        assertThatThrownBy(() -> new Audience(0, "", false, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_audience_of_listed_subscribers_only_takes_nobody_else_from_the_account() {
        Audience listedOnly = new Audience(2, "d", false, Optional.empty());
        Audience vips = new Audience(0, "", false, Optional.of(VIP));
        Attributes vip = new Attributes(Map.of("tier", new AttributeValue.Text("vip")));

        assertThat(listedOnly.scansAccount()).isFalse();
        assertThat(listedOnly.takes(vip)).isFalse();
        assertThat(vips.takes(vip)).isTrue();
        assertThat(vips.takes(Attributes.NONE)).isFalse();
    }
}
