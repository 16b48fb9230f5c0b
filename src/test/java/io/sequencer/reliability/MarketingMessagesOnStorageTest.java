package io.sequencer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TableEventLog;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.channel.ChannelRouter;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.json.EventJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Sequencer;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Marketing Messages end to end on Azurite's tables, with Graph faked by MockWebServer and a stepping clock (the
 * 24-hour window must close, which wall-clock tests cannot wait for): the opt-in event as the webhook reports it is
 * kept with the subscriber; a step due after the window closed goes to the token; after a stop event the step's
 * policy for a closed window applies; the token is kept in the subscriber's row only, never in the event log.
 */
class MarketingMessagesOnStorageTest {
    private static final String ACCOUNT = "mkt";
    private static final String PAGE_TOKEN = "EAAG-page-token-mkt";
    private static final String OPTIN_TOKEN = "6830154821917340000-mkt-optin";
    private static final MessengerConfig PAGE = new MessengerConfig("1234567890", "SEQ_MKT__PAGE_TOKEN", "21.0");
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer graph = new MockWebServer();
    private final InMemoryTimerQueue timers = new InMemoryTimerQueue(clock);
    private TableClient subscribersTable;
    private TableClient eventsTable;
    private Sequencer engine;

    @BeforeEach
    void start() throws Exception {
        graph.start();
        StorageClients storage = StorageClients.fromSettings(
                name -> name.equals(StorageClients.CONNECTION) ? Azurite.shared().connectionString() : null);
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TableClient sequencesTable = created(storage.table("mktseq" + unique));
        TableClient enrollmentsTable = created(storage.table("mktenr" + unique));
        subscribersTable = created(storage.table("mktsub" + unique));
        eventsTable = created(storage.table("mktevt" + unique));
        MessengerChannel messenger = new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()),
                TestAppSettings.of("SEQ_MKT__PAGE_TOKEN", PAGE_TOKEN)::get, graph.url("/").toString(), clock);
        engine = Sequencer.builder().clock(clock)
                .stores(new TableSequenceStore(sequencesTable, ChannelTypes.ALL.storedForms()),
                        new TableEnrollmentStore(enrollmentsTable), new TableSubscriberStore(subscribersTable))
                .eventLog(new TableEventLog(eventsTable))
                .timers(timers)
                .channelTypes(ChannelTypes.ALL.rules()).channel(new ChannelRouter(List.of(messenger)))
                .backoff(new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4))
                .build();
    }

    @AfterEach
    void stop() {
        graph.close();
    }

    private static TableClient created(TableClient table) {
        table.createTable();
        return table;
    }

    private static Step step(String id, long delayDays) {
        return new Step(id, Delay.of(delayDays, DelayUnit.DAYS), "{\"text\":\"" + id + "\"}", true, Optional.empty(),
                StepRules.NONE, StepMessaging.of(Optional.empty(), Optional.of(StepMessaging.MARKETING_MESSAGE)));
    }

    /** Reports an event as the API reads it. */
    private void report(String json) {
        EventJson.Entry entry = EventJson.parse(json).get(0);
        engine.events().record(ACCOUNT, entry.event().orElseThrow(() -> new AssertionError(entry.problem())));
    }

    private void runFor(Duration limit) {
        Instant end = clock.instant().plus(limit);
        while (true) {
            Optional<Tick> next = timers.takeNextVisible();
            if (next.isPresent()) {
                engine.ticks().handle(next.get());
                continue;
            }
            Optional<Instant> at = timers.nextVisibleAt();
            if (at.isEmpty() || at.get().isAfter(end)) {
                return;
            }
            clock.set(at.get());
        }
    }

    @Test
    void an_opted_in_subscriber_gets_the_step_after_the_window_closed_through_the_token_and_nothing_after_a_stop()
            throws Exception {
        engine.sequences().define(ACCOUNT, "drip", new SequenceDraft("Drip", List.of(step("welcome", 0),
                step("day-two", 2), step("day-four", 2)), PAGE, Optional.empty(), Optional.empty(), SequenceRules.NONE));
        long expiry = clock.instant().plus(Duration.ofDays(180)).toEpochMilli();
        report("""
                {"subscriberId":"6543210","type":"optin","at":"2026-03-01T09:00:00Z",
                 "optin":{"type":"notification_messages","payload":"drip","notification_messages_token":"%s",
                          "notification_messages_frequency":"DAILY","token_expiry_timestamp":%d,
                          "user_token_status":"NOT_REFRESHED","notification_messages_timezone":"Europe/Paris"}}"""
                .formatted(OPTIN_TOKEN, expiry));
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"6543210\",\"message_id\":\"m_1\"}").build());
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m_2\"}").build());
        EnrollmentKey key = new EnrollmentKey(ACCOUNT, "drip", "6543210");
        engine.enrollments().enroll(key);

        runFor(Duration.ofDays(3));

        RecordedRequest welcome = graph.takeRequest(5, TimeUnit.SECONDS);
        assertThat(Json.read(welcome.getBody().utf8()).path("recipient").path("id").asText()).isEqualTo("6543210");
        RecordedRequest dayTwo = graph.takeRequest(5, TimeUnit.SECONDS);
        JsonNode body = Json.read(dayTwo.getBody().utf8());
        assertThat(body.path("recipient")).isEqualTo(Json.read("{\"notification_messages_token\":\"" + OPTIN_TOKEN + "\"}"));
        assertThat(body.has("messaging_type")).isFalse();
        assertThat(body.path("message").path("text").asText()).isEqualTo("day-two");
        assertThat(dayTwo.getHeaders().get("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN);

        report("""
                {"subscriberId":"6543210","type":"optin","at":"2026-03-04T09:00:00Z",
                 "optin":{"type":"notification_messages","notification_messages_token":"%s",
                          "notification_messages_status":"STOP_NOTIFICATIONS"}}""".formatted(OPTIN_TOKEN));
        runFor(Duration.ofDays(3));

        assertThat(graph.getRequestCount()).isEqualTo(2);
        Enrollment after = engine.enrollments().get(key);
        assertThat(after.lastRecordOf("day-two").orElseThrow().outcome()).isEqualTo(StepOutcome.SENT);
        assertThat(after.lastRecordOf("day-four").orElseThrow().outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(after.lastRecordOf("day-four").orElseThrow().detail()).isEqualTo(MessengerRules.NO_MARKETING_TOKEN);

        String subscriberRows = subscribersTable.listEntities().stream().map(e -> e.getProperties().toString()).toList()
                .toString();
        assertThat(subscriberRows).contains(OPTIN_TOKEN).contains("marketingStopped=true");
        String eventRows = eventsTable.listEntities().stream().map(e -> e.getProperties().toString()).toList().toString();
        assertThat(eventRows).contains("optinStatus=STOP_NOTIFICATIONS").doesNotContain(OPTIN_TOKEN);
        assertThat(after.toString()).doesNotContain(OPTIN_TOKEN);
    }

    @Test
    void graph_refusing_the_token_marks_it_on_the_stored_subscriber_and_the_next_step_is_not_sent() throws Exception {
        engine.sequences().define(ACCOUNT, "refused", new SequenceDraft("Refused", List.of(step("welcome", 0),
                step("day-two", 2), step("day-four", 2)), PAGE, Optional.empty(), Optional.empty(), SequenceRules.NONE));
        report("""
                {"subscriberId":"777","type":"optin","optin":{"notification_messages_token":"%s"}}"""
                .formatted(OPTIN_TOKEN));
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m_1\"}").build());
        graph.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json").body(
                "{\"error\":{\"message\":\"(#10) This message is sent outside of allowed window.\","
                        + "\"type\":\"OAuthException\",\"code\":10,\"error_subcode\":2018278,\"fbtrace_id\":\"Ab\"}}")
                .build());
        EnrollmentKey key = new EnrollmentKey(ACCOUNT, "refused", "777");
        engine.enrollments().enroll(key);

        runFor(Duration.ofDays(5));

        assertThat(graph.getRequestCount()).isEqualTo(2);
        Enrollment after = engine.enrollments().get(key);
        assertThat(after.lastRecordOf("day-two").orElseThrow().outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(after.lastRecordOf("day-two").orElseThrow().detail())
                .startsWith("marketing_token_refused: graph error 10/2018278 (HTTP 400)").doesNotContain(OPTIN_TOKEN);
        assertThat(after.lastRecordOf("day-four").orElseThrow().detail()).isEqualTo(MessengerRules.NO_MARKETING_TOKEN);
        assertThat(subscribersTable.listEntities().stream().map(e -> e.getProperties().toString()).toList().toString())
                .contains("marketingRefused=marketing_token_refused: graph error 10/2018278");
    }
}
