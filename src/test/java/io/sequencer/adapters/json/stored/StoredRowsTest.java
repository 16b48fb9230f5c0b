package io.sequencer.adapters.json.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.Json;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.account.AccountKey;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.RowError;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SealedSecret;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stored row format there has been (version 0, before rows carried {@code v}, and version 1) reads to the
 * value it was written from, and writing that value gives the version 1 fixture. Sequences have their own test.
 */
class StoredRowsTest {
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    /** One kind of row: its fixture name (without the version), how to read and write it, and its sample value. */
    record Kind(String fixture, Function<Map<String, Object>, Object> read, Function<Object, Map<String, Object>> write,
                Supplier<Object> sample, List<String> versions) {
        Kind(String fixture, Function<Map<String, Object>, Object> read, Function<Object, Map<String, Object>> write,
             Supplier<Object> sample) {
            this(fixture, read, write, sample, List.of("v0", "v1"));
        }

        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("broadcast/%s-local.json", p -> StoredBroadcast.read("acme", "spring-sale", p, STORED_CHANNELS),
                        b -> StoredBroadcast.write((Broadcast) b, STORED_CHANNELS), StoredSamples::broadcast),
                new Kind("broadcast/%s-plain.json", p -> StoredBroadcast.read("acme", "notice", p, STORED_CHANNELS),
                        b -> StoredBroadcast.write((Broadcast) b, STORED_CHANNELS), StoredSamples::plainBroadcast),
                new Kind("broadcast/%s-fallback.json", p -> StoredBroadcast.read("acme", "reminder", p, STORED_CHANNELS),
                        b -> StoredBroadcast.write((Broadcast) b, STORED_CHANNELS), StoredSamples::fallbackBroadcast,
                        List.of("v1")),
                new Kind("broadcast-members/%s.json", p -> StoredBroadcast.readMembers("spring-sale/listed|00000", p),
                        m -> StoredBroadcast.writeMembers(castMembers(m)), StoredSamples::members),
                new Kind("enrollment/%s-active.json", p -> StoredEnrollment.read(StoredSamples.KEY, p),
                        e -> StoredEnrollment.write((Enrollment) e), StoredSamples::enrollment),
                new Kind("enrollment/%s-left.json", p -> StoredEnrollment.read(
                        new EnrollmentKey("acme", "welcome", "sub-2"), p),
                        e -> StoredEnrollment.write((Enrollment) e), StoredSamples::leftEnrollment),
                new Kind("enrollment/%s-data.json", p -> StoredEnrollment.read(
                        new EnrollmentKey("acme", "follow-up", "sub-1"), p),
                        e -> StoredEnrollment.write((Enrollment) e), StoredSamples::enrollmentWithData, List.of("v1")),
                new Kind("enrollment/%s-pinned.json", p -> StoredEnrollment.read(
                        new EnrollmentKey("acme", "fallback", "sub-1"), p),
                        e -> StoredEnrollment.write((Enrollment) e), StoredSamples::pinnedEnrollment, List.of("v1")),
                new Kind("enrollment/%s-heldout.json", p -> StoredEnrollment.read(
                        new EnrollmentKey("acme", "trial", "sub-4"), p),
                        e -> StoredEnrollment.write((Enrollment) e), StoredSamples::heldOutEnrollment, List.of("v1")),
                new Kind("subscriber/%s.json", p -> StoredSubscriber.read("acme", "sub-1", p),
                        s -> StoredSubscriber.write((Subscriber) s), StoredSamples::subscriber),
                new Kind("subscriber/%s-optin.json", p -> StoredSubscriber.read("acme", "sub-3", p),
                        s -> StoredSubscriber.write((Subscriber) s), StoredSamples::optedInSubscriber, List.of("v1")),
                new Kind("event/%s-optin.json", p -> StoredEvent.read("sub-3", "row", p),
                        e -> StoredEvent.write((TimelineEntry.Reported) e), StoredSamples::optinEvent, List.of("v1")),
                new Kind("event/%s.json", p -> StoredEvent.read("sub-1", "row", p),
                        e -> StoredEvent.write((TimelineEntry.Reported) e), StoredSamples::event),
                new Kind("secret/%s.json", p -> StoredSecret.read("acme", "secret|hook-secret", p),
                        s -> StoredSecret.write((SealedSecret) s), StoredSamples::secret),
                new Kind("poisoned-tick/%s.json", p -> StoredPoisonedTick.read("row", p),
                        t -> StoredPoisonedTick.write((PoisonedTick) t), StoredSamples::poisonedTick),
                new Kind("notification-settings/%s.json", p -> StoredNotificationSettings.read("acme", p),
                        n -> StoredNotificationSettings.write((NotificationSettings) n),
                        StoredSamples::notificationSettings),
                new Kind("account-key/%s.json", p -> StoredAccountKey.read("sk_acme_1a2b", p),
                        k -> StoredAccountKey.write((AccountKey) k), StoredSamples::accountKey),
                new Kind("recipient/%s-sent.json", p -> StoredRecipient.read("acme", "spring-sale", "sub-1", p),
                        r -> StoredRecipient.write((Recipient) r), StoredSamples::recipient),
                new Kind("recipient/%s-claimed.json", p -> StoredRecipient.read("acme", "spring-sale", "sub-2", p),
                        r -> StoredRecipient.write((Recipient) r), StoredSamples::claimedRecipient),
                new Kind("recipient/%s-fallback.json", p -> StoredRecipient.read("acme", "reminder", "sub-1", p),
                        r -> StoredRecipient.write((Recipient) r), StoredSamples::fallbackRecipient, List.of("v1")),
                new Kind("data-key/%s.json", p -> StoredDataKey.read("acme", p),
                        k -> StoredDataKey.write((KeyWrap.WrappedKey) k), StoredSamples::dataKey),
                new Kind("tally/%s.json", p -> Map.entry(StoredTally.day("row", p), StoredTally.counts("row", p)),
                        t -> StoredTally.write(StoredSamples.TALLY_DAY, StoredSamples.tally()),
                        () -> Map.entry(StoredSamples.TALLY_DAY, StoredSamples.tally())),
                // Written with a version from the start: their first format is version 1.
                new Kind("import/%s-job.json", p -> StoredImport.readJob("acme", "imp-1", p),
                        j -> StoredImport.writeJob((ImportJob) j), StoredSamples::importJob, List.of("v1")),
                new Kind("import/%s-page.json", p -> StoredImport.readPage("row", p),
                        page -> StoredImport.writePage((ImportPage) page), StoredSamples::importPage, List.of("v1")),
                new Kind("import/%s-error.json", p -> StoredImport.readError("row", p),
                        e -> StoredImport.writeError((RowError) e), StoredSamples::rowError, List.of("v1")),
                new Kind("caps/%s-limits.json", p -> StoredCaps.readLimits("acme", p),
                        l -> StoredCaps.writeLimits((FrequencyLimits) l), StoredSamples::frequencyLimits, List.of("v1")),
                new Kind("caps/%s-send-log.json", p -> StoredCaps.readLog("row", p),
                        l -> StoredCaps.writeLog((SendLog) l), StoredSamples::sendLog, List.of("v1")),
                new Kind("job/%s.json", p -> StoredJob.read("acme", "job-1", p), j -> StoredJob.write((Job) j),
                        StoredSamples::job, List.of("v1")));
    }

    static Stream<Arguments> everyVersion() {
        return kinds().flatMap(kind -> kind.versions().stream().map(v -> Arguments.of(kind.fixture().formatted(v), kind)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVersion")
    void every_stored_version_reads_to_its_value(String fixture, Kind kind) {
        // Recursively: a sealed secret holds byte arrays, which records compare by identity.
        assertThat(kind.read().apply(StoredFixtures.row(fixture))).usingRecursiveComparison()
                .isEqualTo(kind.sample().get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void writing_a_value_yields_the_current_fixture(Kind kind) {
        assertThat(StoredFixtures.asFixture(kind.write().apply(kind.sample().get())))
                .isEqualTo(Json.read(StoredFixtures.text(kind.fixture().formatted("v1"))));
    }

    @Test
    void an_enrollment_without_its_epoch_names_the_field_and_the_row() {
        Map<String, Object> row = StoredFixtures.row("enrollment/v0-active.json");
        row.remove("epoch");

        assertThatThrownBy(() -> StoredEnrollment.read(StoredSamples.KEY, row))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessage("stored enrollment acme/welcome/sub-1: epoch is missing (format version 0)");
    }

    @Test
    void a_history_entry_without_its_delivery_id_names_the_entry() {
        Map<String, Object> row = StoredFixtures.row("enrollment/v1-active.json");
        row.put("history_0", ((String) row.get("history_0")).replace("\"deliveryId\":\"d-2\",", ""));

        assertThatThrownBy(() -> StoredEnrollment.read(StoredSamples.KEY, row))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessage("stored enrollment acme/welcome/sub-1: history[1].deliveryId is missing");
    }

    @Test
    void a_property_of_the_wrong_type_is_named() {
        Map<String, Object> row = StoredFixtures.row("subscriber/v1.json");
        row.put("createdAt", 42);

        assertThatThrownBy(() -> StoredSubscriber.read("acme", "sub-1", row))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessage("stored subscriber acme/sub-1: createdAt must be text, not Integer");
    }

    @Test
    void properties_no_version_knows_are_ignored() {
        Map<String, Object> row = StoredFixtures.row("broadcast/v1-local.json");
        row.put("Timestamp", "2026-03-02T11:30:00Z");
        row.put("addedByALaterVersion", 7);

        assertThat(StoredBroadcast.read("acme", "spring-sale", row, STORED_CHANNELS)).isEqualTo(StoredSamples.broadcast());
    }

    @Test
    void a_broadcast_whose_senders_stopped_keeps_that_instant() {
        Broadcast cancelled = StoredSamples.broadcast();
        Broadcast stopped = new Broadcast(cancelled.account(), cancelled.id(), cancelled.sendTime(), cancelled.channel(),
                cancelled.message(), cancelled.tag(), cancelled.audience(), cancelled.createdAt(),
                cancelled.cancelledAt(), cancelled.cancelledAt().map(t -> t.plusSeconds(5)), cancelled.fanOut());

        assertThat(StoredBroadcast.read("acme", "spring-sale", StoredBroadcast.write(stopped, STORED_CHANNELS), STORED_CHANNELS)).isEqualTo(stopped);
    }

    @SuppressWarnings("unchecked")
    private static List<AudienceMember> castMembers(Object members) {
        return (List<AudienceMember>) members;
    }
}
