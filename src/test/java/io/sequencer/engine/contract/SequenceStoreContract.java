package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.sequence.SequenceStore;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SequenceStore} must do; run against the in-memory store and Azure Tables alike. */
public abstract class SequenceStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456789Z");
    private SequenceStore store;

    protected abstract SequenceStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    /** Every kind of step rule, so the round trip through storage covers them. */
    static final StepRules REACTING = new StepRules(
            Optional.of(new Condition.All(List.of(
                    new Condition.StepWas(new StepRef.Previous(), Engagement.CLICKED, true),
                    new Condition.AttributeTest("tags", AttributeOperator.CONTAINS, new AttributeValue.Text("vip"))))),
            true,
            List.of(new Branch(new Condition.StepWas(new StepRef.Named("s1"), Engagement.READ, false), "s3")),
            Optional.of(new EventMatch(EventType.CLICKED, Optional.of("s1"), Optional.empty())));
    /** Every kind of sequence rule. */
    static final SequenceRules RULES = new SequenceRules(ReentryPolicy.AFTER_COMPLETION,
            List.of(new EventMatch(EventType.CONVERTED, Optional.empty(), Optional.of("purchase")),
                    new EventMatch(EventType.CLICKED, Optional.of("s3"), Optional.empty())),
            List.of(new Trigger.OnCompleted("next"), new Trigger.OnLeft(Optional.of(LeaveReason.GOAL), "thanks"),
                    new Trigger.OnLeft(Optional.empty(), "winback"),
                    new Trigger.OnEvent(EventMatch.of(EventType.REPLIED), "chat")),
            true);

    static Sequence sequence(String account, String id, long version, String messageText) {
        SendWindow weekdays = new SendWindow(LocalTime.of(9, 0), LocalTime.of(18, 0),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        SendWindow nights = new SendWindow(LocalTime.of(22, 0), LocalTime.of(6, 30), EnumSet.of(DayOfWeek.SATURDAY));
        return new Sequence(account, id, "Name of " + id,
                List.of(new Step("s1", Delay.of(0, DelayUnit.SECONDS), "{\"text\":\"" + messageText + "\"}"),
                        new Step("s2", new Delay.Span(3, DelayUnit.DAYS, Delay.Anchor.ENROLLMENT),
                                "{\"attachment\":{\"type\":\"image\"}}", false, Optional.of(nights), REACTING),
                        new Step("s3", new Delay.AtLocalTime(LocalTime.of(9, 30), Optional.of(DayOfWeek.MONDAY),
                                Delay.Anchor.PREVIOUS), "{}")),
                new WebhookConfig(URI.create("https://host.example/hook?x=1"), Optional.of("HOOK_SECRET")),
                Optional.of(ZoneId.of("Europe/Berlin")), Optional.of(weekdays), RULES,
                version % 2 == 0 ? SequenceStatus.PAUSED : SequenceStatus.ACTIVE,
                version, T0, T0.plusSeconds(version));
    }

    @Test
    void a_created_sequence_reads_back_equal() {
        Sequence created = sequence("acme", "welcome", 1, "héllo \\\"quoted\\\" ✓ \\u0007");
        store.create(created);
        assertThat(store.find("acme", "welcome")).map(Stored::value).contains(created);
    }

    @Test
    void a_missing_sequence_is_empty() {
        assertThat(store.find("acme", "nothing")).isEmpty();
    }

    @Test
    void creating_twice_is_refused() {
        store.create(sequence("acme", "welcome", 1, "a"));
        assertThatThrownBy(() -> store.create(sequence("acme", "welcome", 1, "b"))).isInstanceOf(AlreadyExists.class);
    }

    @Test
    void a_replace_needs_the_current_etag() {
        store.create(sequence("acme", "welcome", 1, "a"));
        Stored<Sequence> read = store.find("acme", "welcome").orElseThrow();
        store.replace(sequence("acme", "welcome", 2, "b"), read.etag());
        assertThat(store.find("acme", "welcome").orElseThrow().value().version()).isEqualTo(2);
        assertThatThrownBy(() -> store.replace(sequence("acme", "welcome", 3, "c"), read.etag()))
                .isInstanceOf(StaleWrite.class);
    }

    @Test
    void accounts_never_see_each_others_sequences() {
        store.create(sequence("acme", "welcome", 1, "a"));
        store.create(sequence("acme", "upsell", 1, "a"));
        store.create(sequence("globex", "welcome", 1, "other"));
        assertThat(store.list("acme")).extracting(Sequence::id).containsExactly("upsell", "welcome");
        assertThat(store.list("globex")).extracting(Sequence::account).containsOnly("globex");
        assertThat(store.find("acme", "welcome").orElseThrow().value().step(0).message()).contains("\"a\"");
        assertThat(store.list("initech")).isEmpty();
    }

    @Test
    void a_definition_near_the_256_kib_request_limit_is_stored_whole() {
        List<Step> steps = new ArrayList<>();
        String big = "x".repeat(2_500);
        for (int i = 0; i < 100; i++) {
            steps.add(new Step("s" + i, Delay.of(i, DelayUnit.MINUTES), "{\"text\":\"" + big + i + "\"}"));
        }
        Sequence large = new Sequence("acme", "large", "Large", steps,
                new WebhookConfig(URI.create("http://h/x"), Optional.empty()), Optional.empty(), Optional.empty(),
                SequenceRules.NONE, SequenceStatus.ACTIVE, 1, T0, T0);
        store.create(large);
        assertThat(store.find("acme", "large").orElseThrow().value()).isEqualTo(large);
    }
}
