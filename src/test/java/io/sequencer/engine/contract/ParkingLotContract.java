package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.timer.ParkingLot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ParkingLot} must do; run against the in-memory lot and an Azure storage queue alike. */
public abstract class ParkingLotContract {
    protected ParkingLot lot;

    protected abstract ParkingLot newLot();

    protected abstract void pass(Duration time);

    @BeforeEach
    void createLot() {
        lot = newLot();
    }

    static ParkedTick parked(String subscriber) {
        Tick tick = new Tick(new EnrollmentKey("acme", "welcome", subscriber), 1, 2, "s3",
                Instant.parse("2026-04-01T09:00:00Z"), "token-" + subscriber, 1, 0, 0);
        return new ParkedTick(tick, Instant.parse("2026-04-01T09:00:07Z"));
    }

    @Test
    void a_parked_timer_stays_hidden_for_its_visibility_then_is_claimed_whole() {
        lot.park(parked("ann"), Duration.ofSeconds(2));
        assertThat(lot.claimVisible(32, Duration.ofSeconds(30))).isEmpty();
        pass(Duration.ofMillis(2500));
        List<ParkingLot.Claim> claims = lot.claimVisible(32, Duration.ofSeconds(30));
        assertThat(claims).extracting(ParkingLot.Claim::parked).containsExactly(parked("ann"));
    }

    @Test
    void a_claimed_timer_is_hidden_from_other_pumps_until_its_lease_ends_unless_removed() {
        lot.park(parked("bob"), Duration.ZERO);
        lot.park(parked("cy"), Duration.ZERO);
        List<ParkingLot.Claim> first = lot.claimVisible(32, Duration.ofSeconds(2));
        assertThat(first).hasSize(2);
        assertThat(lot.claimVisible(32, Duration.ofSeconds(2))).isEmpty();
        lot.remove(first.stream().filter(c -> c.parked().equals(parked("bob"))).findFirst().orElseThrow());
        pass(Duration.ofMillis(2500));
        assertThat(lot.claimVisible(32, Duration.ofSeconds(2))).extracting(ParkingLot.Claim::parked)
                .containsExactly(parked("cy"));
    }

    @Test
    void removing_a_claim_whose_lease_ran_out_and_was_claimed_again_changes_nothing() {
        lot.park(parked("fay"), Duration.ZERO);
        ParkingLot.Claim stale = lot.claimVisible(32, Duration.ofSeconds(1)).get(0);
        pass(Duration.ofMillis(1500));
        ParkingLot.Claim fresh = lot.claimVisible(32, Duration.ofSeconds(30)).get(0);

        assertThat(lot.remove(stale)).isFalse();
        assertThat(lot.approximateCount()).isEqualTo(1);
        assertThat(lot.remove(fresh)).isTrue();
        assertThat(lot.remove(stale)).as("once the timer is gone").isFalse();
        assertThat(lot.approximateCount()).isZero();
    }

    @Test
    void visible_timers_can_be_peeked_without_claiming_and_are_counted() {
        lot.park(parked("dan"), Duration.ZERO);
        lot.park(parked("eve"), Duration.ofDays(3));
        assertThat(lot.peekVisible(32)).containsExactly(parked("dan"));
        assertThat(lot.claimVisible(32, Duration.ofSeconds(30))).hasSize(1);
        assertThat(lot.approximateCount()).isEqualTo(2);
    }
}
