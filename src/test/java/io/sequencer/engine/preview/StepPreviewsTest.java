package io.sequencer.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.channel.ChannelRouter;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Variant;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.Stored;
import io.sequencer.engine.channel.Channels;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** A step previewed for one subscriber and sent to a tester: rendered as at the send, stored and enrolled nowhere. */
class StepPreviewsTest {
    private static final String ACCOUNT = "acme";
    private static final String HI = "{\"text\":\"Hi {{ subscriber.attributes.first_name | default: 'friend' }}, "
            + "order {{ enrollment.data.orderId }}\"}";
    private static final Channels RULES = ChannelTypes.ALL.rules();

    // A Sunday, 09:00 UTC.
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySequenceStore sequenceStore = new InMemorySequenceStore();
    private final InMemorySubscriberStore subscriberStore = new InMemorySubscriberStore();
    private final SequenceCatalog catalog = Sequencer.builder().clock(clock)
            .stores(sequenceStore, new InMemoryEnrollmentStore(), subscriberStore).build().sequences();
    private final RecordingChannel channel = new RecordingChannel();
    private final List<String> writes = new ArrayList<>();
    private final StepPreviews previews = previewsOver(channel);

    /** The engine's previews over stores that note any write instead of making it. */
    private StepPreviews previewsOver(Channel sender) {
        return Sequencer.builder().clock(clock).stores(readOnly(sequenceStore), null, readOnly(subscriberStore))
                .channelTypes(RULES).channel(sender).build().previews();
    }

    private static SequenceDraft webhookSequence(Optional<SendWindow> window, Step... steps) {
        return new SequenceDraft("Welcome", List.of(steps),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()), Optional.empty(), window,
                SequenceRules.NONE);
    }

    private void storeAnn() {
        subscriberStore.create(Subscriber.create(ACCOUNT, "ann", clock.instant())
                .updated(Map.of("first_name", Optional.of(new AttributeValue.Text("Ann"))),
                        Optional.of(ZoneId.of("Europe/Berlin")), clock.instant()));
    }

    @Test
    void a_stored_subscriber_sees_their_own_name_zone_and_due_times_and_nothing_is_written_or_sent() {
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(),
                new Step("hi", Delay.of(2, DelayUnit.HOURS), HI)));
        storeAnn();
        String storedBefore = subscriberStore.find(ACCOUNT, "ann").map(Stored::etag).orElseThrow();

        StepPreview preview = previews.preview(ACCOUNT, "welcome", "hi",
                new PreviewSubject.Stored("ann", new EnrollmentData(Map.of("orderId", "A-17"))));

        assertThat(preview.message()).isEqualTo("{\"text\":\"Hi Ann, order A-17\"}");
        assertThat(preview.channel()).isEqualTo("webhook");
        assertThat(preview.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(preview.skip()).isEmpty();
        assertThat(preview.dueAt()).containsExactly(Instant.parse("2026-03-01T11:00:00Z"),
                Instant.parse("2026-03-02T11:00:00Z"), Instant.parse("2026-03-03T11:00:00Z"),
                Instant.parse("2026-03-04T11:00:00Z"), Instant.parse("2026-03-05T11:00:00Z"));
        assertThat(writes).isEmpty();
        assertThat(channel.deliveries()).isEmpty();
        assertThat(subscriberStore.find(ACCOUNT, "ann").map(Stored::etag)).contains(storedBefore);
    }

    @Test
    void an_inline_subscriber_is_rendered_in_their_zone_and_the_window_moves_the_due_times() {
        SendWindow weekdays = new SendWindow(LocalTime.of(9, 0), LocalTime.of(17, 0),
                Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.of(weekdays),
                new Step("hi", Delay.of(0, DelayUnit.SECONDS), HI)));

        StepPreview preview = previews.preview(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline("bob",
                Optional.of(ZoneId.of("America/New_York")), Map.of(), EnrollmentData.NONE));

        assertThat(preview.message()).isEqualTo("{\"text\":\"Hi friend, order \"}");
        // Sunday 04:00 in New York: Monday 09:00 for today's and tomorrow's enrollments, then 09:00 each weekday.
        assertThat(preview.dueAt()).containsExactly(Instant.parse("2026-03-02T14:00:00Z"),
                Instant.parse("2026-03-02T14:00:00Z"), Instant.parse("2026-03-03T14:00:00Z"),
                Instant.parse("2026-03-04T14:00:00Z"), Instant.parse("2026-03-05T14:00:00Z"));
        assertThat(writes).isEmpty();
    }

    @Test
    void a_step_with_variants_shows_each_subscriber_their_own_variant_rendered_as_any_message() {
        Experiment test = new Experiment(List.of(
                new Variant("a", 1, "{\"text\":\"A for {{ subscriber.attributes.first_name | default: 'you' }}\"}"),
                new Variant("b", 1, "{\"text\":\"B for {{ subscriber.attributes.first_name | default: 'you' }}\"}")),
                List.of());
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(), new Step("hi",
                Delay.of(0, DelayUnit.SECONDS), HI, true, Optional.empty(), StepRules.NONE, StepMessaging.DEFAULT, test)));
        StepPreviews wired = previewsOver(
                new ChannelRouter(List.of(new WebhookChannel(new OkHttpClient(), name -> null, clock))));

        for (String subscriber : List.of("bob", "carol", "dave", "erin", "frank", "grace")) {
            StepPreview preview = wired.preview(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline(subscriber,
                    Optional.empty(), Map.of(), EnrollmentData.NONE));
            String expected = test.variantFor(Assignment.step(ACCOUNT, "welcome", subscriber, "hi")).orElseThrow().id();
            assertThat(preview.variant()).contains(expected);
            assertThat(preview.message()).isEqualTo("{\"text\":\"" + expected.toUpperCase() + " for you\"}");
            assertThat(Json.read(preview.request().orElseThrow()).path("variant").asText()).isEqualTo(expected);
        }
    }

    @Test
    void the_preview_shows_the_channels_own_request_body() {
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(),
                new Step("hi", Delay.of(0, DelayUnit.SECONDS), HI)));
        StepPreviews wired = previewsOver(
                new ChannelRouter(List.of(new WebhookChannel(new OkHttpClient(), name -> null, clock))));

        StepPreview preview = wired.preview(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline("bob",
                Optional.empty(), Map.of(), EnrollmentData.NONE));

        var request = Json.read(preview.request().orElseThrow());
        assertThat(request.path("message").path("text").asText()).isEqualTo("Hi friend, order ");
        assertThat(request.path("subscriberId").asText()).isEqualTo("bob");
        assertThat(request.path("stepId").asText()).isEqualTo("hi");
        assertThat(request.path("deliveryId").asText()).startsWith("dlv_");
    }

    @Test
    void unknown_sequences_steps_and_stored_subscribers_are_not_found() {
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(),
                new Step("hi", Delay.of(0, DelayUnit.SECONDS), HI)));
        PreviewSubject ann = new PreviewSubject.Stored("ann", EnrollmentData.NONE);
        assertThatThrownBy(() -> previews.preview(ACCOUNT, "nope", "hi", ann)).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> previews.preview(ACCOUNT, "welcome", "nope", ann)).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> previews.preview(ACCOUNT, "welcome", "hi", ann)).isInstanceOf(NotFound.class)
                .hasMessageContaining("subscriber ann");
    }

    @Test
    void a_render_that_fails_names_the_string_and_the_reason() {
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(), new Step("big", Delay.of(0, DelayUnit.SECONDS),
                "{\"text\":\"{% assign s = subscriber.attributes.blob %}{% for i in (1..12) %}"
                        + "{% assign s = s | append: s %}{% endfor %}{{ s }}\"}")));

        assertThatThrownBy(() -> previews.preview(ACCOUNT, "welcome", "big", new PreviewSubject.Inline("ann",
                Optional.empty(), Map.of("blob", Optional.of(new AttributeValue.Text("x".repeat(100)))),
                EnrollmentData.NONE)))
                .isInstanceOfSatisfying(RenderFailed.class, failed -> assertThat(failed.field()).isEqualTo("message"))
                .hasMessageStartingWith("cannot be rendered: '{% assign s = subscriber.attributes.blob %}");
    }

    @Test
    void a_test_send_goes_to_the_testers_url_once_with_the_rendered_message_and_is_limited_per_account() {
        catalog.define(ACCOUNT, "welcome", webhookSequence(Optional.empty(),
                new Step("hi", Delay.of(3, DelayUnit.DAYS), HI)));
        List<URI> checked = new ArrayList<>();

        for (int i = 0; i < StepPreviews.TEST_SENDS_PER_MINUTE; i++) {
            TestSendResult result = previews.testSend(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline("tester",
                    Optional.empty(), Map.of("first_name", Optional.of(new AttributeValue.Text("Tess"))),
                    EnrollmentData.NONE), "https://tester.example/hook", checked::add);
            assertThat(result.delivered()).isTrue();
            assertThat(result.deliveryId()).startsWith("tst_");
        }
        assertThatThrownBy(() -> previews.testSend(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline("tester",
                Optional.empty(), Map.of(), EnrollmentData.NONE), "https://tester.example/hook", checked::add))
                .isInstanceOfSatisfying(TooManyTestSends.class,
                        tooMany -> assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofMinutes(1)));

        assertThat(channel.deliveries()).hasSize(StepPreviews.TEST_SENDS_PER_MINUTE);
        Delivery sent = channel.deliveries().get(0);
        assertThat(sent.message()).isEqualTo("{\"text\":\"Hi Tess, order \"}");
        assertThat(sent.target().ids()).containsEntry("test", "true").containsEntry("subscriberId", "tester");
        assertThat(checked).contains(URI.create("https://tester.example/hook"));
        assertThat(writes).isEmpty();

        // Another account has its own share; this one's frees up as the minute passes.
        catalog.define("other", "welcome", webhookSequence(Optional.empty(),
                new Step("hi", Delay.of(3, DelayUnit.DAYS), HI)));
        previews.testSend("other", "welcome", "hi", new PreviewSubject.Inline("tester", Optional.empty(), Map.of(),
                EnrollmentData.NONE), "https://tester.example/hook", checked::add);
        clock.advance(Duration.ofSeconds(61));
        assertThat(previews.testSend(ACCOUNT, "welcome", "hi", new PreviewSubject.Inline("tester", Optional.empty(),
                Map.of(), EnrollmentData.NONE), "https://tester.example/hook", checked::add).delivered()).isTrue();
    }

    @Test
    void a_failed_test_send_says_why_and_a_messenger_test_goes_to_the_testers_psid() {
        catalog.define(ACCOUNT, "chat", new SequenceDraft("Chat", List.of(new Step("hi", Delay.of(0, DelayUnit.SECONDS),
                HI)), new MessengerConfig("123", "PAGE_TOKEN", "21.0"), Optional.empty(), Optional.empty(),
                SequenceRules.NONE));
        channel.thenAnswer(new SendResult.PermanentFailure("graph error 100 (HTTP 400): no such user"));

        TestSendResult result = previews.testSend(ACCOUNT, "chat", "hi", new PreviewSubject.Inline("preview",
                Optional.empty(), Map.of(), EnrollmentData.NONE), "2468", url -> { });

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).isEqualTo("graph error 100 (HTTP 400): no such user");
        assertThat(channel.deliveries().get(0).subscriberId()).isEqualTo("2468");
        assertThatThrownBy(() -> previews.testSend(ACCOUNT, "chat", "hi", new PreviewSubject.Inline("preview",
                Optional.empty(), Map.of(), EnrollmentData.NONE), "not a psid", url -> { }))
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(invalid.errors().get(0).field()).isEqualTo("to"));
    }

    @Test
    void the_recipient_of_a_test_send_is_checked_per_channel_type() {
        WebhookConfig hook = new WebhookConfig(URI.create("https://host.example/hook"), Optional.of("HOOK_SECRET"));
        assertThat(RULES.testRecipient(hook, "https://tester.example/x").channel())
                .isEqualTo(new WebhookConfig(URI.create("https://tester.example/x"), Optional.of("HOOK_SECRET")));
        for (String bad : new String[] {"tester.example/x", "ftp://tester.example/x", "https://"}) {
            assertThatThrownBy(() -> RULES.testRecipient(hook, bad)).as(bad).isInstanceOf(Invalid.class);
        }
        SendGridConfig mail = new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty());
        assertThat(RULES.testRecipient(mail, "tess@tester.example").email()).contains("tess@tester.example");
        for (String bad : new String[] {"tess", "tess@", "a@b@c.example", "tess@tester.example, eve@x.example"}) {
            assertThatThrownBy(() -> RULES.testRecipient(mail, bad)).as(bad).isInstanceOf(Invalid.class);
        }
    }

    private SequenceStore readOnly(SequenceStore store) {
        return new SequenceStore() {
            @Override
            public Optional<Stored<io.sequencer.domain.sequence.Sequence>> find(String account, String sequenceId) {
                return store.find(account, sequenceId);
            }

            @Override
            public void create(io.sequencer.domain.sequence.Sequence sequence) {
                writes.add("create sequence");
            }

            @Override
            public void replace(io.sequencer.domain.sequence.Sequence sequence, String etag) {
                writes.add("replace sequence");
            }

            @Override
            public List<io.sequencer.domain.sequence.Sequence> list(String account) {
                return store.list(account);
            }
        };
    }

    private SubscriberStore readOnly(SubscriberStore store) {
        return new SubscriberStore() {
            @Override
            public Optional<Stored<Subscriber>> find(String account, String subscriberId) {
                return store.find(account, subscriberId);
            }

            @Override
            public void create(Subscriber subscriber) {
                writes.add("create subscriber");
            }

            @Override
            public void replace(Subscriber subscriber, String etag) {
                writes.add("replace subscriber");
            }

            @Override
            public void delete(String account, String subscriberId, String etag) {
                writes.add("delete subscriber");
            }

            @Override
            public List<Subscriber> page(String account, Optional<String> afterId, int max) {
                return store.page(account, afterId, max);
            }
        };
    }
}
