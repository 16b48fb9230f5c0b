package io.sequencer.engine.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Stored;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A profile write stores a change and nothing else: a profile that would read the same (its update time aside) is
 * not written again, unless the caller asks for the write (an opt-out is marked even when already marked), and a
 * change in any one part of it is written.
 */
class ProfileWriteTest {
    private static final String ACCOUNT = "acme";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySubscriberStore store = new InMemorySubscriberStore();

    private String etag() {
        return store.find(ACCOUNT, "ann").map(Stored::etag).orElseThrow();
    }

    private ProfileWrite.Result write(boolean alwaysWrite, UnaryOperator<Subscriber> change) {
        clock.advance(Duration.ofMinutes(1));
        return ProfileWrite.apply(store, clock, ACCOUNT, "ann", alwaysWrite, (stored, base, now) -> change.apply(base));
    }

    static Stream<Arguments> oneChangedPart() {
        return Stream.of(
                Arguments.of("attributes", (UnaryOperator<Subscriber>) s -> s.updated(
                        Map.of("plan", Optional.of(new AttributeValue.Text("pro"))), Optional.empty(), s.updatedAt())),
                Arguments.of("timezone", (UnaryOperator<Subscriber>) s -> s.updated(
                        Map.of(), Optional.of(ZoneId.of("Asia/Tokyo")), s.updatedAt())),
                Arguments.of("sequences", (UnaryOperator<Subscriber>) s -> s.enrolledIn("welcome", s.updatedAt())),
                Arguments.of("opt-out", (UnaryOperator<Subscriber>) s -> s.optingOut(s.updatedAt())),
                Arguments.of("conversation", (UnaryOperator<Subscriber>) s -> s.withConversation(
                        s.conversation().interacted(s.updatedAt()), s.updatedAt())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneChangedPart")
    void a_change_in_any_one_part_is_written_and_the_same_profile_again_is_not(String part,
                                                                             UnaryOperator<Subscriber> change) {
        write(false, s -> s);
        String created = etag();

        ProfileWrite.Result changed = write(false, change);
        assertThat(changed.written()).as(part + " changed").isTrue();
        assertThat(etag()).isNotEqualTo(created);

        String afterChange = etag();
        ProfileWrite.Result same = write(false, s -> s);
        assertThat(same.written()).as("nothing changed").isFalse();
        assertThat(etag()).isEqualTo(afterChange);
    }

    @Test
    void a_write_the_caller_insists_on_is_made_though_nothing_changed() {
        write(false, s -> s.optingOut(s.updatedAt()));
        String before = etag();

        ProfileWrite.Result insisted = write(true, s -> s);

        assertThat(insisted.written()).isTrue();
        assertThat(etag()).isNotEqualTo(before);
    }
}
