package io.sequencer.engine.enrollment;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.Sha256;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.sequence.SequenceStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lists a sequence's enrollments, a page at a time in subscriber-id order, filtered by status and by the step
 * they wait for. Each page is a range read of the sequence's own partition in the store, never a scan of others.
 *
 * <p>The continuation token wraps where the next page starts in the store's own terms (Table storage's continuation)
 * with a digest of it together with the account, the sequence and the filters it was issued for: a token altered,
 * cut short or taken to another sequence, account or filter is refused (400). The read it resumes is always
 * filtered on the partition the request names, so even a token forged with a matching digest only chooses where
 * to start among enrollments the caller may list anyway.
 */
public final class EnrollmentListing {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final String TOKEN_VERSION = "1";
    /** What a store's position may hold (Table storage's continuation is base64 text joined by ';'). */
    private static final Pattern POSITION = Pattern.compile("[A-Za-z0-9!*_.;:=+/~-]{1,2048}");

    private final SequenceStore sequences;
    private final EnrollmentStore store;

    public EnrollmentListing(SequenceStore sequences, EnrollmentStore store) {
        this.sequences = sequences;
        this.store = store;
    }

    /** A page, and the token of the next one while more may follow. */
    public record Page(List<Enrollment> enrollments, Optional<String> continuation) {}

    /**
     * The page after {@code continuation} (the first when empty). An active enrollment of an archived sequence is
     * shown, and filtered, as left (archived), as reading one enrollment shows it.
     * @throws Invalid naming {@code limit} (not 1 to {@link #MAX_LIMIT}) or {@code continuation} (not a token of
     *     this listing)
     * @throws NotFound when the account has no such sequence
     */
    /** What is wrong with {@code limit}, if anything: a page holds 1 to {@link #MAX_LIMIT} enrollments. */
    public static Optional<FieldError> limitProblem(int limit) {
        return limit < 1 || limit > MAX_LIMIT
                ? Optional.of(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT))
                : Optional.empty();
    }

    public Page page(String account, String sequenceId, EnrollmentFilter filter, int limit,
                     Optional<String> continuation) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        List<FieldError> errors = new ArrayList<>(limitProblem(limit).stream().toList());
        Optional<String> from = Optional.empty();
        try {
            from = continuation.map(token -> startOf(token, account, sequenceId, filter));
        } catch (Invalid badToken) {
            errors.addAll(badToken.errors());
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        Sequence sequence = sequences.find(account, sequenceId).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + sequenceId));
        boolean archived = sequence.status() == SequenceStatus.ARCHIVED;
        if (archived && (filter.stepId().isPresent() || filter.statuses().equals(Set.of(EnrollmentStatus.ACTIVE)))) {
            // Nobody waits for a step of an archived sequence: every active enrollment shows as left.
            return new Page(List.of(), Optional.empty());
        }
        EnrollmentFilter stored = filter;
        if (archived && filter.statuses().contains(EnrollmentStatus.LEFT)) {
            EnumSet<EnrollmentStatus> statuses = EnumSet.copyOf(filter.statuses());
            statuses.add(EnrollmentStatus.ACTIVE);
            stored = new EnrollmentFilter(statuses, filter.stepId());
        }
        EnrollmentPage page = store.page(account, sequenceId, stored, from, limit);
        List<Enrollment> shown = new ArrayList<>(page.enrollments().size());
        for (Enrollment enrollment : page.enrollments()) {
            Enrollment as = archived && enrollment.isActive()
                    ? enrollment.leave(LeaveReason.ARCHIVED, enrollment.updatedAt()) : enrollment;
            if (filter.matches(as)) {
                shown.add(as);
            }
        }
        return new Page(shown, page.next().map(next -> token(next, account, sequenceId, filter)));
    }

    /**
     * A page of every enrollment of the account: its sequences in id order, and each one's enrollments as
     * {@link #page} gives them, filling the page from one sequence into the next. The token names the sequence to go
     * on in and, within it, {@link #page}'s own token (bound to the account and that sequence). A request reads each
     * sequence it passes at least once, so an account of many sequences with few enrollments costs a read each.
     * @throws Invalid naming {@code limit} or {@code continuation}
     */
    public Page accountPage(String account, int limit, Optional<String> continuation) {
        Ids.require("account", account);
        limitProblem(limit).ifPresent(problem -> {
            throw new Invalid(List.of(problem));
        });
        String startSequence = "";
        Optional<String> inner = Optional.empty();
        if (continuation.isPresent()) {
            String[] parts = accountTokenParts(continuation.get());
            startSequence = parts[0];
            inner = Optional.of(parts[1]).filter(t -> !t.isEmpty());
        }
        String start = startSequence;
        List<String> ids = sequences.list(account).stream().map(Sequence::id).filter(id -> id.compareTo(start) >= 0)
                .sorted().toList();
        List<Enrollment> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Page page = page(account, id, EnrollmentFilter.ALL, limit - out.size(),
                    id.equals(startSequence) ? inner : Optional.empty());
            out.addAll(page.enrollments());
            if (page.continuation().isPresent()) {
                return new Page(out, Optional.of(accountToken(id, page.continuation().get())));
            }
            if (out.size() >= limit) {
                return new Page(out, i + 1 < ids.size() ? Optional.of(accountToken(ids.get(i + 1), ""))
                        : Optional.empty());
            }
        }
        return new Page(out, Optional.empty());
    }

    private static String accountToken(String sequenceId, String inner) {
        String plain = "A" + TOKEN_VERSION + "\n" + sequenceId + "\n" + inner;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] accountTokenParts(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3 && parts[0].equals("A" + TOKEN_VERSION) && Ids.problemWith(parts[1]).isEmpty()) {
                return new String[] {parts[1], parts[2]};
            }
        } catch (IllegalArgumentException notBase64) {
            // Refused below, as any other token we did not issue.
        }
        throw new Invalid("continuation", "is not a token from an earlier page of this export");
    }

    static String token(String from, String account, String sequenceId, EnrollmentFilter filter) {
        String plain = TOKEN_VERSION + "\n" + from + "\n" + digest(from, account, sequenceId, filter);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String startOf(String token, String account, String sequenceId, EnrollmentFilter filter) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3 && parts[0].equals(TOKEN_VERSION) && POSITION.matcher(parts[1]).matches()
                    && parts[2].equals(digest(parts[1], account, sequenceId, filter))) {
                return parts[1];
            }
        } catch (IllegalArgumentException notBase64) {
            // Refused below, as any other token we did not issue.
        }
        throw new Invalid("continuation",
                "is not a token from an earlier page of this listing (same account, sequence, status and stepId)");
    }

    private static String digest(String from, String account, String sequenceId, EnrollmentFilter filter) {
        return Sha256.hex(String.join("\n", "enrollments", account, sequenceId, filter.canonical(), from), 16);
    }
}
