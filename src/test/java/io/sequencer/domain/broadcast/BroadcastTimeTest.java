package io.sequencer.domain.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BroadcastTimeTest {
    private static final BroadcastTime.Local TEN = new BroadcastTime.Local(LocalDateTime.parse("2026-12-04T10:00"),
            ZoneId.of("Europe/Berlin"));

    @Test
    void a_local_time_is_each_zones_own_and_the_fallback_for_subscribers_without_one() {
        assertThat(TEN.dueFor(Optional.of(ZoneId.of("Pacific/Auckland")))).isEqualTo(Instant.parse("2026-12-03T21:00:00Z"));
        assertThat(TEN.dueFor(Optional.of(ZoneId.of("Pacific/Honolulu")))).isEqualTo(Instant.parse("2026-12-04T20:00:00Z"));
        assertThat(TEN.dueFor(Optional.empty())).isEqualTo(Instant.parse("2026-12-04T09:00:00Z"));
    }

    @Test
    void the_earliest_instant_is_before_any_zone_reaches_the_local_time() {
        Instant earliest = TEN.earliest();
        for (String zone : ZoneId.getAvailableZoneIds()) {
            assertThat(TEN.dueFor(Optional.of(ZoneId.of(zone)))).as(zone).isAfterOrEqualTo(earliest);
        }
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertThat(new BroadcastTime.At(at).earliest()).isEqualTo(at);
        assertThat(new BroadcastTime.At(at).dueFor(Optional.of(ZoneId.of("Asia/Tokyo")))).isEqualTo(at);
    }

    @Test
    void a_time_skipped_by_daylight_saving_is_taken_after_the_gap_and_a_repeated_one_as_the_earlier() {
        // Berlin skips 02:00-03:00 on 2026-03-29 and repeats 02:00-03:00 on 2026-10-25.
        BroadcastTime gap = new BroadcastTime.Local(LocalDateTime.parse("2026-03-29T02:30"), ZoneId.of("Europe/Berlin"));
        assertThat(gap.dueFor(Optional.empty())).isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
        BroadcastTime twice = new BroadcastTime.Local(LocalDateTime.parse("2026-10-25T02:30"), ZoneId.of("Europe/Berlin"));
        assertThat(twice.dueFor(Optional.empty())).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST
    }
}
