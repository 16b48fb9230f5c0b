package io.sequencer.engine.contract;

import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.account.AccountKeyStore;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.notification.NoticeQueue;
import io.sequencer.engine.poison.PoisonQueue;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.engine.secret.SecretStore;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryNoticeQueue;
import io.sequencer.testing.InMemoryPoisonQueue;
import io.sequencer.testing.InMemorySecretStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** The in-memory ports that engine tests rely on, held to the same contracts as the Azure ones. */
class InMemoryContractsTest {

    @Nested
    class Sequences extends SequenceStoreContract {
        @Override
        protected SequenceStore newStore() {
            return new InMemorySequenceStore();
        }
    }

    @Nested
    class Caps extends CapStoreContract {
        @Override
        protected io.sequencer.engine.limit.CapStore newStore() {
            return new io.sequencer.testing.InMemoryCapStore();
        }
    }

    @Nested
    class Enrollments extends EnrollmentStoreContract {
        @Override
        protected EnrollmentStore newStore() {
            return new InMemoryEnrollmentStore();
        }
    }

    @Nested
    class Jobs extends JobStoreContract {
        @Override
        protected io.sequencer.engine.job.JobStore newStore() {
            return new io.sequencer.testing.InMemoryJobStore();
        }
    }

    @Nested
    class Imports extends ImportStoreContract {
        @Override
        protected io.sequencer.engine.imports.ImportStore newStore() {
            return new io.sequencer.testing.InMemoryImportStore();
        }
    }

    @Nested
    class Subscribers extends SubscriberStoreContract {
        @Override
        protected SubscriberStore newStore() {
            return new io.sequencer.testing.InMemorySubscriberStore();
        }
    }

    @Nested
    class Broadcasts extends BroadcastStoreContract {
        @Override
        protected BroadcastStore newStore() {
            return new io.sequencer.testing.InMemoryBroadcastStore();
        }
    }

    @Nested
    class AccountKeys extends AccountKeyStoreContract {
        @Override
        protected AccountKeyStore newStore() {
            return new io.sequencer.testing.InMemoryAccountKeyStore();
        }
    }

    @Nested
    class Idempotency extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore newStore() {
            return new io.sequencer.testing.InMemoryIdempotencyStore();
        }
    }

    @Nested
    class Secrets extends SecretStoreContract {
        private InMemorySecretStore memory;

        @Override
        protected SecretStore newStore() {
            memory = new io.sequencer.testing.InMemorySecretStore();
            return memory;
        }

        @Override
        protected SecretStore reopened() {
            // Memory does not outlive a process: the same instance is all there is to reopen.
            return memory;
        }
    }

    @Nested
    class Poisoned extends PoisonedTicksContract {
        @Override
        protected PoisonedTicks newStore() {
            return new io.sequencer.testing.InMemoryPoisonedTicks();
        }
    }

    @Nested
    class PoisonQueues extends PoisonQueueContract {
        private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        private InMemoryPoisonQueue memory;

        @Override
        protected PoisonQueue newQueue() {
            memory = new io.sequencer.testing.InMemoryPoisonQueue(clock);
            return memory;
        }

        @Override
        protected void putTick(Tick tick) {
            memory.put(tick);
        }

        @Override
        protected void putParked(ParkedTick parked) {
            memory.put((Tick) parked.timer());
        }

        @Override
        protected void putUnreadable(String text) {
            memory.putUnreadable();
        }

        @Override
        protected long depth() {
            return memory.size();
        }

        @Override
        protected void pass(Duration time) {
            clock.advance(time);
        }
    }

    @Nested
    class Events extends EventLogContract {
        @Override
        protected EventLog newLog() {
            return new io.sequencer.testing.InMemoryEventLog();
        }
    }

    @Nested
    class NoticeQueues extends NoticeQueueContract {
        private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        private InMemoryNoticeQueue memory;

        @Override
        protected NoticeQueue newQueue() {
            memory = new InMemoryNoticeQueue(clock);
            return memory;
        }

        @Override
        protected long depth() {
            return memory.size();
        }

        @Override
        protected void pass(Duration time) {
            clock.advance(time);
        }
    }

    @Nested
    class Parking extends ParkingLotContract {
        private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");

        @Override
        protected ParkingLot newLot() {
            return new io.sequencer.testing.InMemoryParkingLot(clock);
        }

        @Override
        protected void pass(Duration time) {
            clock.advance(time);
        }
    }

    @Nested
    class Timers extends TimerQueueContract {
        private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        private InMemoryTimerQueue memory;

        @Override
        protected TimerQueue newQueue() {
            memory = new InMemoryTimerQueue(clock);
            return memory;
        }

        @Override
        protected List<Tick> takeVisible() {
            List<Tick> ticks = new ArrayList<>();
            Optional<Tick> next;
            while ((next = memory.takeNextVisible()).isPresent()) {
                ticks.add(next.get());
            }
            return ticks;
        }

        @Override
        protected void pass(Duration time) {
            clock.advance(time);
        }

        @Override
        protected Instant now() {
            return clock.instant();
        }

        @Override
        protected long held() {
            return memory.pending().size();
        }

        @org.junit.jupiter.api.Test
        void beyond_seven_days_the_timer_wakes_at_seven_days_for_the_handler_to_hop() {
            queue.schedule(tick("eve"), clock.instant().plus(Duration.ofDays(30)));
            clock.advance(Duration.ofDays(7));
            org.assertj.core.api.Assertions.assertThat(takeVisible()).containsExactly(tick("eve"));
        }
    }
}
