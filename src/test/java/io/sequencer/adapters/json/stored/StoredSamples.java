package io.sequencer.adapters.json.stored;

import io.sequencer.adapters.json.ChannelForms;
import io.sequencer.adapters.json.SequenceJson;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.account.AccountKey;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeDraft;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.notification.Outbox;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobPage;
import io.sequencer.engine.job.JobRequest;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretSeal;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One domain value per stored representation, filled so that every optional part is present somewhere: the values
 * the golden fixtures under {@code src/test/resources/stored} were written from.
 */
final class StoredSamples {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant UPDATED = Instant.parse("2026-03-02T11:30:00Z");
    static final EnrollmentKey KEY = new EnrollmentKey("acme", "welcome", "sub-1");

    private StoredSamples() {}

    /** A webhook sequence using every reacting part: windows, a zone, delays of both kinds, conditions, rules. */
    static Sequence webhookSequence() {
        SequenceDraft draft = SequenceJson.parse("""
                {"name": "Welcome series",
                 "channel": {"type": "webhook", "url": "https://hooks.example.com/in?x=1", "secretSetting": "ACME_HOOK"},
                 "timezone": "Europe/Berlin",
                 "sendWindow": {"from": "09:00", "to": "17:30", "days": ["MON", "TUE", "WED", "THU", "FRI"]},
                 "reentry": "after_completion",
                 "exitWhen": [{"event": "converted", "name": "purchase"}, {"event": "clicked", "step": "s1"}],
                 "then": [{"on": "completed", "enroll": "nurture"},
                          {"on": "left", "reason": "goal", "enroll": "thanks"},
                          {"on": "event", "event": "replied", "step": "s2", "enroll": "chat"}],
                 "enrollOn": "subscribed",
                 "steps": [
                   {"id": "s1", "delay": {"amount": 0, "unit": "minutes"},
                    "message": {"text": "Hello", "n": 1.50, "nested": {"deep": [1, 2.0, "x"]}}},
                   {"id": "s2", "delay": {"at": "09:15", "on": "MON", "from": "enrollment"},
                    "message": {"text": "Week one"}, "enabled": false,
                    "sendWindow": {"from": "22:00", "to": "06:00", "days": ["SAT", "SUN"]},
                    "condition": {"all": [{"step": "previous", "is": "read"},
                                          {"any": [{"attribute": "plan", "is": "pro"},
                                                   {"attribute": "signedUp", "after": "2026-01-01"},
                                                   {"attribute": "vip", "exists": true}]}]},
                    "onConditionFalse": "end"},
                   {"id": "s3", "delay": {"amount": 3, "unit": "days"}, "message": {"text": "Branching"},
                    "branches": [{"if": {"step": "s1", "is_not": "clicked"}, "goTo": "s5"}],
                    "waitFor": {"event": "replied", "step": "s2"}},
                   {"id": "s4", "delay": {"amount": 2, "unit": "hours"}, "message": {"text": "Skip me"},
                    "condition": {"attribute": "tags", "contains": "beta"}, "onConditionFalse": "skip"},
                   {"id": "s5", "delay": {"amount": 7, "unit": "days", "from": "previous"}, "message": {"text": "Bye"}}
                 ]}
                """, CHANNELS);
        return new Sequence("acme", "welcome", draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), SequenceStatus.PAUSED, 7, CREATED, UPDATED);
    }

    /** A Messenger sequence with Messenger-only step fields and an account secret instead of a setting. */
    static Sequence messengerSequence() {
        SequenceDraft draft = SequenceJson.parse("""
                {"name": "Messenger",
                 "channel": {"type": "messenger", "pageId": "1234567890", "pageToken": "page-token", "graphVersion": "v20.0"},
                 "steps": [{"id": "m1", "delay": {"amount": 5, "unit": "seconds"}, "message": {"text": "Hi"},
                            "tag": "POST_PURCHASE_UPDATE", "outsideWindow": "hold"}]}
                """, CHANNELS);
        return new Sequence("acme", "messenger", draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), SequenceStatus.ACTIVE, 1, CREATED, CREATED);
    }

    /**
     * A Messenger sequence whose step falls back to e-mail (a message of its own) and then to a webhook of its own
     * (the step's message), and a step sent on a channel of its own.
     */
    static Sequence fallbackSequence() {
        SequenceDraft draft = SequenceJson.parse("""
                {"name": "Fallback",
                 "channel": {"type": "messenger", "pageId": "1234567890", "pageToken": "acme-page", "graphVersion": "v20.0"},
                 "steps": [{"id": "f1", "delay": {"amount": 2, "unit": "days"}, "message": {"text": "Still there?"},
                            "outsideWindow": "marketing_message",
                            "fallback": [{"channel": {"type": "sendgrid", "apiKeySetting": "ACME_SENDGRID",
                                                      "from": "news@example.com"},
                                          "message": {"subject": "Still there?", "text": "Hi {{ subscriber.id }}"}},
                                         {"channel": {"type": "webhook", "url": "https://hooks.example.com/in",
                                                      "secret": "hook-secret"}}]},
                           {"id": "f2", "delay": {"amount": 1, "unit": "days"}, "message": {"text": "By hook"},
                            "channel": {"type": "webhook", "url": "https://hooks.example.com/own"}}]}
                """, CHANNELS);
        return new Sequence("acme", "fallback", draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), SequenceStatus.ACTIVE, 2, CREATED, UPDATED);
    }

    /** A SendGrid sequence with a sender name and a template message. */
    static Sequence sendGridSequence() {
        SequenceDraft draft = SequenceJson.parse("""
                {"name": "Mail",
                 "channel": {"type": "sendgrid", "apiKeySetting": "ACME_SENDGRID", "from": "news@example.com",
                             "fromName": "Acme News"},
                 "steps": [{"id": "e1", "delay": {"amount": 1, "unit": "days"},
                            "message": {"templateId": "d-123", "dynamicTemplateData": {"first": "Ann"}}}]}
                """, CHANNELS);
        return new Sequence("acme", "mail", draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), SequenceStatus.ARCHIVED, 3, CREATED, UPDATED);
    }

    static Broadcast broadcast() {
        Condition match = new Condition.AttributeTest("plan", AttributeOperator.IS,
                new AttributeValue.Text("pro"));
        Audience audience = Audience.of(members(), false, Optional.of(match));
        FanOutCursor fanOut = new FanOutCursor(FanOutCursor.Phase.ACCOUNT, 3, Optional.of("sub-0042"),
                Optional.of(CREATED.plusSeconds(60)), Optional.empty(), Optional.of("storage was busy"));
        return new Broadcast("acme", "spring-sale", new BroadcastTime.Local(LocalDateTime.parse("2026-04-01T09:00"),
                ZoneId.of("America/New_York")), new MessengerConfig("1234567890", Optional.of("ACME_PAGE"), "21.0",
                Optional.empty()), "{\"text\":\"Sale!\"}", Optional.of("ACCOUNT_UPDATE"), audience, CREATED,
                Optional.of(UPDATED), Optional.empty(), fanOut);
    }

    /** A Messenger broadcast that falls back to e-mail, with a message of its own. */
    static Broadcast fallbackBroadcast() {
        return new Broadcast("acme", "reminder", new BroadcastTime.At(Instant.parse("2026-04-02T12:00:00Z")),
                new MessengerConfig("1234567890", Optional.of("ACME_PAGE"), "21.0", Optional.empty()),
                "{\"text\":\"Reminder\"}", Optional.empty(), Audience.of(List.of(), true, Optional.empty()), CREATED,
                Optional.empty(), Optional.empty(), FanOutCursor.START, false, false,
                ChannelRoute.fallingBackTo(List.of(new ChannelRoute.Fallback(
                        new SendGridConfig("ACME_SENDGRID", "news@example.com", Optional.empty()),
                        Optional.of("{\"subject\":\"Reminder\",\"text\":\"Hi\"}")))));
    }

    /** A broadcast at an instant, to a plain webhook, with nothing optional. */
    static Broadcast plainBroadcast() {
        return new Broadcast("acme", "notice", new BroadcastTime.At(Instant.parse("2026-04-02T12:00:00Z")),
                new WebhookConfig(URI.create("https://hooks.example.com/b"), Optional.empty()),
                "{\"text\":\"Notice\"}", Optional.empty(), Audience.of(List.of(), true, Optional.empty()), CREATED,
                Optional.empty(), Optional.empty(), FanOutCursor.START);
    }

    static List<AudienceMember> members() {
        Map<String, Optional<AttributeValue>> attributes = new LinkedHashMap<>();
        attributes.put("plan", Optional.of(new AttributeValue.Text("pro")));
        attributes.put("score", Optional.of(new AttributeValue.Number(new BigDecimal("7.50"))));
        return List.of(new AudienceMember("sub-1", Optional.of(ZoneId.of("Asia/Tokyo")), attributes),
                new AudienceMember("sub-2", Optional.empty(), Map.of()));
    }

    static Enrollment enrollment() {
        List<StepRecord> history = List.of(
                new StepRecord("s1", "d-1", StepOutcome.SENT, CREATED.plusSeconds(5), 2, "",
                        EnumSet.of(Engagement.DELIVERED, Engagement.READ)),
                new StepRecord("s2", "d-2", StepOutcome.SKIPPED, CREATED.plusSeconds(90), 0, "condition false",
                        Set.of()));
        Outbox outbox = new Outbox(4, List.of(
                new Notice(3, "evt-3", NoticeType.STEP_SENT, CREATED.plusSeconds(5), 2, Optional.of("s1"),
                        Optional.of("d-1"), Optional.empty()),
                new Notice(4, "evt-4", NoticeType.STEP_SKIPPED, CREATED.plusSeconds(90), 2, Optional.of("s2"),
                        Optional.empty(), Optional.of("condition false"))));
        return new Enrollment(KEY, EnrollmentStatus.ACTIVE, 2, 2, "s3", CREATED.plusSeconds(3600), "tok-2",
                Optional.of(ZoneId.of("Europe/Berlin")), new Origin(Optional.of("trigger:onboarding"), 2),
                Optional.empty(), CREATED, UPDATED, history, EnumSet.of(Engagement.CLICKED), outbox);
    }

    /** An enrollment in the sequence's holdout, with a record and a notice that name an A/B variant. */
    static Enrollment heldOutEnrollment() {
        List<StepRecord> history = List.of(new StepRecord("s1", "d-1", StepOutcome.SENT, CREATED.plusSeconds(5), 1, "",
                Set.of(), Optional.empty(), Optional.of("b")));
        Outbox outbox = new Outbox(2, List.of(new Notice(2, "evt-2", NoticeType.STEP_SENT, CREATED.plusSeconds(5), 1,
                Optional.of("s1"), Optional.of("d-1"), Optional.empty(), Optional.empty(), Optional.of("b"))));
        return new Enrollment(new EnrollmentKey("acme", "trial", "sub-4"), EnrollmentStatus.ACTIVE, 1, 1, "s2",
                CREATED.plusSeconds(3600), "tok-1", Optional.empty(), Origin.HOST, Optional.empty(), CREATED, UPDATED,
                history, Set.of(), outbox, Optional.empty(), true);
    }

    /**
     * An enrollment an event trigger started, carrying the data of the enroll it came from and the event that fired
     * it: stored only since enrollments keep both, so it has no version 0 form.
     */
    static Enrollment enrollmentWithData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", "A-17");
        data.put("total", new BigDecimal("42.50"));
        data.put("gift", true);
        data.put("note", null);
        data.put("items", List.of("tea", Map.of("sku", "cup-1")));
        Origin origin = new Origin(Optional.of("welcome#2:event:id:e-7"), 1, new EnrollmentData(data),
                Optional.of(new StartEvent("clicked", Optional.of("cta"), Optional.of(CREATED.plusSeconds(30)),
                        Optional.of("e-7"), Optional.of("welcome"), Optional.of("s1"))));
        return new Enrollment(new EnrollmentKey("acme", "follow-up", "sub-1"), EnrollmentStatus.ACTIVE, 1, 0, "f1",
                CREATED.plusSeconds(3600), "tok-1", Optional.empty(), origin, Optional.empty(), CREATED, CREATED,
                List.of(), Set.of(), Outbox.EMPTY);
    }

    /**
     * An enrollment sending a step with fallback channels: pinned to the e-mail for its delivery, an earlier step
     * recorded with the channel it went on, and its notice naming that channel.
     */
    static Enrollment pinnedEnrollment() {
        StepRecord sent = new StepRecord("f0", "d-0", StepOutcome.SENT, CREATED.plusSeconds(5), 1, "HTTP 202",
                Set.of(), Optional.of("sendgrid"), Optional.empty());
        Outbox outbox = new Outbox(0, List.of()).plus(new EnrollmentKey("acme", "fallback", "sub-1"), List.of(
                new NoticeDraft(NoticeType.STEP_SENT, CREATED.plusSeconds(5), 1, Optional.of("f0"), Optional.of("d-0"),
                        Optional.empty(), Optional.of("sendgrid"), Optional.empty())));
        return new Enrollment(new EnrollmentKey("acme", "fallback", "sub-1"), EnrollmentStatus.ACTIVE, 1, 1, "f1",
                CREATED.plusSeconds(3600), "tok-2", Optional.empty(), Origin.HOST, Optional.empty(), CREATED, UPDATED,
                List.of(sent), Set.of(), outbox, Optional.of(RoutePin.chosen("dlv_7f3a", 1)), false);
    }

    /** A recipient of a broadcast with fallback channels, sent by e-mail after its pin. */
    static Recipient fallbackRecipient() {
        return new Recipient("acme", "reminder", "sub-1", CREATED.plusSeconds(120), Recipient.State.SENT,
                Optional.empty(), 1, Optional.of("HTTP 202"), Optional.of(CREATED.plusSeconds(150)), Set.of(),
                Optional.of(RoutePin.chosen("dlv_9c1e", 1)), Optional.of("sendgrid"));
    }

    /** An enrollment that left: no next step, no outbox, a leave reason. */
    static Enrollment leftEnrollment() {
        return new Enrollment(new EnrollmentKey("acme", "welcome", "sub-2"), EnrollmentStatus.LEFT, 5, 1, null, null,
                null, Optional.empty(), Origin.HOST, Optional.of(LeaveReason.UNSUBSCRIBED),
                CREATED, UPDATED, List.of(), Set.of(), Outbox.EMPTY);
    }

    static Subscriber subscriber() {
        Map<String, Optional<AttributeValue>> values = new LinkedHashMap<>();
        values.put("plan", Optional.of(new AttributeValue.Text("pro")));
        values.put("score", Optional.of(new AttributeValue.Number(new BigDecimal("12.5"))));
        values.put("vip", Optional.of(new AttributeValue.Flag(true)));
        values.put("tags", Optional.of(new AttributeValue.TextList(List.of("beta", "early"))));
        return new Subscriber("acme", "sub-1", Attributes.NONE.updatedBy(values), Optional.of(ZoneId.of("Asia/Tokyo")),
                List.of("welcome", "nurture"), Optional.of(UPDATED),
                new Conversation(Optional.of(CREATED.plusSeconds(10)), Optional.of(CREATED.plusSeconds(20)),
                        Optional.of(CREATED.plusSeconds(30))), CREATED, UPDATED);
    }

    /** A subscriber opted in to Marketing Messages, stopped, and whose token Graph then refused. */
    static Subscriber optedInSubscriber() {
        return new Subscriber("acme", "sub-3", Attributes.NONE, Optional.empty(), List.of("welcome"), Optional.empty(),
                new Conversation(Optional.of(CREATED.plusSeconds(10)), Optional.empty(), Optional.empty(),
                        Optional.of(new MarketingOptIn("optin-token-1", Optional.of(CREATED.plusSeconds(86400 * 180)),
                                Optional.of(MarketingOptIn.Frequency.WEEKLY), true, CREATED.plusSeconds(40),
                                Optional.of("marketing_token_refused: graph error 10 (HTTP 400)")))),
                CREATED, UPDATED);
    }

    /** An opt-in event as the timeline keeps it: what it said, without its token. */
    static TimelineEntry.Reported optinEvent() {
        return new TimelineEntry.Reported(UPDATED, new SubscriberEvent("sub-3", EventType.OPTIN, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(CREATED.plusSeconds(40)),
                Optional.empty(), Optional.empty(), Optional.of(new OptInReport(Optional.empty(),
                Optional.of(CREATED.plusSeconds(86400 * 180)), Optional.of(MarketingOptIn.Frequency.WEEKLY),
                MarketingOptIn.Status.STOP_NOTIFICATIONS))));
    }

    static TimelineEntry.Reported event() {
        return new TimelineEntry.Reported(UPDATED, new SubscriberEvent("sub-1", EventType.READ, Optional.of("d-1"),
                Optional.of("welcome"), Optional.of("s1"), Optional.of("cta"), Optional.of(CREATED.plusSeconds(7)),
                Optional.of("host-evt-9"), Optional.of(CREATED.plusSeconds(8))));
    }

    static SealedSecret secret() {
        return new SealedSecret("acme", "hook-secret",
                new SecretSeal.Sealed(2, bytes(12, 1), bytes(40, 7)),
                Optional.of(new SecretSeal.Sealed(1, bytes(12, 3), bytes(38, 9))), Optional.of(UPDATED.plusSeconds(86400)),
                "fp-abc123", CREATED, UPDATED);
    }

    static Tick tick() {
        return new Tick(KEY, 2, 1, "s2", CREATED.plusSeconds(3600), "tok-2", 3, 1, 2);
    }

    static ParkedTick parkedTick() {
        return new ParkedTick(tick(), CREATED.plusSeconds(7 * 86400));
    }

    static PoisonedTick poisonedTick() {
        return new PoisonedTick(tick(), "IllegalStateException: boom", UPDATED, 2);
    }

    static FanOutPage fanOutPage() {
        return new FanOutPage("acme", "spring-sale", 4, 2);
    }

    static SendChunk sendChunk() {
        return new SendChunk("acme", "spring-sale", CREATED.plusSeconds(120), List.of("sub-1", "sub-2"));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (seed * 31 + i * 7);
        }
        return out;
    }

    static NotificationSettings notificationSettings() {
        return new NotificationSettings("acme", URI.create("https://hooks.example.com/notices"),
                Optional.empty(), Set.of(NoticeType.STEP_SENT, NoticeType.ENROLLMENT_LEFT), CREATED, UPDATED,
                Optional.of("HTTP 503"), Optional.of(UPDATED.minusSeconds(600)), Optional.of(UPDATED.minusSeconds(3600)),
                Optional.of("notice-secret"));
    }

    static AccountKey accountKey() {
        return new AccountKey("sk_acme_1a2b", "acme", "hash-abc", CREATED, Optional.of(UPDATED));
    }

    static Recipient recipient() {
        return new Recipient("acme", "spring-sale", "sub-1", CREATED.plusSeconds(120),
                Recipient.State.SENT, Optional.empty(), 2,
                Optional.of("HTTP 200"), Optional.of(CREATED.plusSeconds(150)),
                EnumSet.of(Engagement.DELIVERED, Engagement.CLICKED));
    }

    static KeyWrap.WrappedKey dataKey() {
        return new KeyWrap.WrappedKey("https://vault.example/keys/k/1", bytes(48, 5));
    }

    static Recipient claimedRecipient() {
        return new Recipient("acme", "spring-sale", "sub-2", CREATED.plusSeconds(120),
                Recipient.State.CLAIMED, Optional.of(CREATED.plusSeconds(180)), 1,
                Optional.empty(), Optional.empty(), Set.of());
    }

    static final LocalDate TALLY_DAY = LocalDate.parse("2026-03-02");

    static Tally tally() {
        return new io.sequencer.domain.report.Tally(Map.of("sent", 12L, "failed", 1L, "skipped", 2L, "enrolled", 40L));
    }

    static ImportJob importJob() {
        return new ImportJob("acme", "imp-1", "csv", true,
                List.of("subscriberId", "timezone", "plan"), 3, true, 2_501, 2_500, 25, 24, 2_480, 20,
                Optional.of("a part arrived after the last"), CREATED, UPDATED);
    }

    static ImportPage importPage() {
        return new ImportPage(7, List.of(
                new ImportRow(701, "sub-1", Optional.of(ZoneId.of("Europe/Berlin")),
                        Map.of("plan", Optional.of(new AttributeValue.Text("pro"))),
                        List.of("welcome", "follow-up")),
                new ImportRow(702, "sub-2", Optional.empty(), Map.of(), List.of())));
    }

    static RowError rowError() {
        return new RowError(703, "timezone", "Mars/Olympus is not a time zone");
    }

    static FrequencyLimits frequencyLimits() {
        return new FrequencyLimits("acme", List.of(
                new FrequencyCap(3, Duration.ofDays(1), Optional.empty()),
                new FrequencyCap(1, Duration.ofHours(4), Optional.of("messenger"))),
                FrequencyLimits.Over.HOLD, UPDATED);
    }

    static SendLog sendLog() {
        return new SendLog(List.of(
                new SendLog.Entry("d-1", CREATED, "webhook"),
                new SendLog.Entry("d-2", UPDATED, "messenger")));
    }

    /** Two first ticks of a batch enroll due in the same second: one group. */
    static TickGroup tickGroup() {
        Instant due = CREATED.plusSeconds(86_400);
        return (TickGroup) TickGroup.of(List.of(
                new Tick(new EnrollmentKey("acme", "welcome", "sub-1"), 1, 0, "s1", due, "tok-a", 1, 0, 0),
                new Tick(new EnrollmentKey("acme", "welcome", "sub-2"), 1, 0, "s1", due.plusMillis(400), "tok-b", 1, 0, 0)))
                .get(0);
    }

    /** A bulk leave of listed subscribers, its first page claimed and an error kept. */
    static Job job() {
        JobRequest request = new JobRequest("welcome",
                BulkAction.LEAVE, Optional.empty(),
                new JobRequest.Listed(List.of("sub-2", "sub-1", "sub-3")));
        return new Job("acme", "job-1", request, 0, Optional.of("sub-3"),
                Optional.of(new Job.Claim(List.of("sub-2", "sub-1"), Optional.of("sub-3"), false)),
                false, 2, 1, List.of(new Job.ItemError("sub-1", "conflict",
                        "enrollment sub-1 is changing")), Optional.empty(), CREATED, UPDATED);
    }

    static JobPage jobPage() {
        return new JobPage("acme", "job-1", 3, 1);
    }
}
