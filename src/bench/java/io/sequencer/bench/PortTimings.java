package io.sequencer.bench;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.ForwardingEnrollmentStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Wall time spent in each port call, by wrapping the ports the engine is built on. */
final class PortTimings {
    private final Map<String, LongAdder[]> byCall = new ConcurrentHashMap<>();

    <T> T time(String call, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            LongAdder[] totals = byCall.computeIfAbsent(call, c -> new LongAdder[] {new LongAdder(), new LongAdder()});
            totals[0].add(System.nanoTime() - start);
            totals[1].increment();
        }
    }

    void reset() {
        byCall.clear();
    }

    /** Per call: total milliseconds and count, ordered by name. */
    Map<String, double[]> snapshot() {
        Map<String, double[]> view = new TreeMap<>();
        byCall.forEach((call, t) -> view.put(call, new double[] {t[0].sum() / 1e6, t[1].sum()}));
        return view;
    }

    SequenceStore sequences(SequenceStore inner) {
        return new SequenceStore() {
            @Override
            public Optional<Stored<Sequence>> find(String account, String sequenceId) {
                return time("sequences.find", () -> inner.find(account, sequenceId));
            }

            @Override
            public void create(Sequence sequence) {
                time("sequences.create", () -> { inner.create(sequence); return null; });
            }

            @Override
            public void replace(Sequence sequence, String etag) {
                time("sequences.replace", () -> { inner.replace(sequence, etag); return null; });
            }

            @Override
            public List<Sequence> list(String account) {
                return time("sequences.list", () -> inner.list(account));
            }
        };
    }

    EnrollmentStore enrollments(EnrollmentStore inner) {
        return new ForwardingEnrollmentStore(inner) {
            @Override
            public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
                return time("enrollments.find", () -> inner.find(key));
            }

            @Override
            public void create(Enrollment enrollment) {
                time("enrollments.create", () -> { inner.create(enrollment); return null; });
            }

            @Override
            public void replace(Stored<Enrollment> current, Enrollment next) {
                time("enrollments.replace", () -> { inner.replace(current, next); return null; });
            }

            @Override
            public SortedMap<LocalDate, Tally> tally(String account, String sequenceId) {
                return time("enrollments.tally", () -> inner.tally(account, sequenceId));
            }
        };
    }

    TimerQueue timers(TimerQueue inner) {
        return (Tick tick, Instant fireAt) -> time("timers.schedule", () -> { inner.schedule(tick, fireAt); return null; });
    }

    Channel channel(Channel inner) {
        return (ChannelConfig config, Delivery delivery) -> time("channel.send", () -> inner.send(config, delivery));
    }
}
