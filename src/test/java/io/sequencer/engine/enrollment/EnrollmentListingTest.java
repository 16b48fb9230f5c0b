package io.sequencer.engine.enrollment;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing a sequence's enrollments: pages in id order, filters, tokens bound to what they list. */
class EnrollmentListingTest {
    private final EngineFixture engine = new EngineFixture();
    private final EnrollmentListing listing = engine.builder().build().enrollmentListing();

    @BeforeEach
    void tenSubscribersAtThreePlaces() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600, 3600));
        engine.catalog.define(ACCOUNT, "other", draft(0));
        for (int i = 9; i >= 0; i--) {
            engine.enrollments.enroll(subscriber("s" + i));
        }
        engine.enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "other", "s0"));
        engine.runFor(Duration.ZERO); // everyone got step 1 and waits for step 2
        engine.enrollments.leave(subscriber("s3"));
        engine.enrollments.leave(subscriber("s7"));
    }

    private List<Enrollment> all(EnrollmentFilter filter, int limit) {
        List<Enrollment> seen = new ArrayList<>();
        Optional<String> continuation = Optional.empty();
        do {
            EnrollmentListing.Page page = listing.page(ACCOUNT, SEQUENCE, filter, limit, continuation);
            assertThat(page.enrollments()).hasSizeLessThanOrEqualTo(limit);
            seen.addAll(page.enrollments());
            continuation = page.continuation();
        } while (continuation.isPresent());
        return seen;
    }

    private static List<String> ids(List<Enrollment> enrollments) {
        return enrollments.stream().map(e -> e.key().subscriberId()).toList();
    }

    @Test
    void every_enrollment_of_the_sequence_comes_once_in_subscriber_order_whatever_the_page_size() {
        List<String> expected = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(ids(all(EnrollmentFilter.ALL, 3))).isEqualTo(expected);
        assertThat(ids(all(EnrollmentFilter.ALL, 1))).isEqualTo(expected);
        EnrollmentListing.Page whole = listing.page(ACCOUNT, SEQUENCE, EnrollmentFilter.ALL, 100, Optional.empty());
        assertThat(ids(whole.enrollments())).isEqualTo(expected);
        assertThat(whole.continuation()).isEmpty();
        assertThat(whole.enrollments().get(0)).isEqualTo(engine.enrollments.get(subscriber("s0")));
    }

    @Test
    void filters_pick_by_status_and_by_the_step_waited_for() {
        assertThat(ids(all(new EnrollmentFilter(Set.of(EnrollmentStatus.LEFT), Optional.empty()), 1)))
                .containsExactly("s3", "s7");
        assertThat(ids(all(new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.of("step-2")), 4)))
                .containsExactly("s0", "s1", "s2", "s4", "s5", "s6", "s8", "s9");
        assertThat(all(new EnrollmentFilter(Set.of(), Optional.of("step-3")), 4)).isEmpty();
        assertThat(all(new EnrollmentFilter(Set.of(EnrollmentStatus.COMPLETED), Optional.empty()), 4)).isEmpty();
    }

    @Test
    void a_token_only_continues_the_listing_it_came_from() {
        EnrollmentFilter active = new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.empty());
        String token = listing.page(ACCOUNT, SEQUENCE, active, 2, Optional.empty()).continuation().orElseThrow();
        assertThat(listing.page(ACCOUNT, SEQUENCE, active, 2, Optional.of(token)).enrollments()).hasSize(2);
        for (Runnable misuse : List.<Runnable>of(
                () -> listing.page(ACCOUNT, "other", active, 2, Optional.of(token)),
                () -> listing.page("globex", SEQUENCE, active, 2, Optional.of(token)),
                () -> listing.page(ACCOUNT, SEQUENCE, EnrollmentFilter.ALL, 2, Optional.of(token)),
                () -> listing.page(ACCOUNT, SEQUENCE, active, 2, Optional.of(token.substring(1))),
                () -> listing.page(ACCOUNT, SEQUENCE, active, 2, Optional.of("not a token")))) {
            assertThatThrownBy(misuse::run).isInstanceOfSatisfying(Invalid.class,
                    e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("continuation"));
        }
    }

    @Test
    void a_limit_outside_1_to_1000_and_an_unknown_sequence_are_refused() {
        for (int limit : new int[] {0, -1, 1001}) {
            assertThatThrownBy(() -> listing.page(ACCOUNT, SEQUENCE, EnrollmentFilter.ALL, limit, Optional.empty()))
                    .isInstanceOfSatisfying(Invalid.class,
                            e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("limit"));
        }
        assertThat(listing.page(ACCOUNT, SEQUENCE, EnrollmentFilter.ALL, 1000, Optional.empty()).enrollments()).hasSize(10);
        assertThatThrownBy(() -> listing.page(ACCOUNT, "nothing", EnrollmentFilter.ALL, 10, Optional.empty()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> listing.page("globex", SEQUENCE, EnrollmentFilter.ALL, 10, Optional.empty()))
                .isInstanceOf(NotFound.class);
    }

    @Test
    void an_archived_sequences_active_enrollments_are_listed_and_filtered_as_left() {
        engine.catalog.archive(ACCOUNT, SEQUENCE);
        List<Enrollment> everyone = all(EnrollmentFilter.ALL, 4);
        assertThat(everyone).hasSize(10).allSatisfy(e -> assertThat(e.status()).isEqualTo(EnrollmentStatus.LEFT));
        assertThat(everyone.get(0).leaveReason()).contains(LeaveReason.ARCHIVED);
        assertThat(all(new EnrollmentFilter(Set.of(EnrollmentStatus.LEFT), Optional.empty()), 3)).hasSize(10);
        assertThat(all(new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.empty()), 3)).isEmpty();
        assertThat(all(new EnrollmentFilter(Set.of(), Optional.of("step-2")), 3)).isEmpty();
    }
}
