package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.limit.CapStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CapStore} must do: caps per account, and send logs written only over the version read. */
public abstract class CapStoreContract {
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    protected abstract CapStore newStore();

    private static FrequencyLimits limits(String account, FrequencyLimits.Over over) {
        return new FrequencyLimits(account, List.of(new FrequencyCap(3, Duration.ofDays(1), Optional.empty()),
                new FrequencyCap(10, Duration.ofDays(7), Optional.of("messenger"))), over, T);
    }

    @Test
    void caps_are_kept_per_account_replaced_by_a_put_and_removed_by_a_delete() {
        CapStore store = newStore();
        assertThat(store.limits("acme")).isEmpty();
        store.putLimits(limits("acme", FrequencyLimits.Over.HOLD));
        store.putLimits(limits("acme", FrequencyLimits.Over.SKIP));
        assertThat(store.limits("acme")).contains(limits("acme", FrequencyLimits.Over.SKIP));
        assertThat(store.limits("globex")).isEmpty();
        store.deleteLimits("acme");
        store.deleteLimits("acme");
        assertThat(store.limits("acme")).isEmpty();
    }

    @Test
    void a_send_log_is_created_once_and_replaced_only_over_the_version_read() {
        CapStore store = newStore();
        SendLog one = SendLog.EMPTY.with(new SendLog.Entry("d1", T, "webhook"), Duration.ofDays(1));
        store.createLog("acme", "ann", one);
        assertThatThrownBy(() -> store.createLog("acme", "ann", one)).isInstanceOf(AlreadyExists.class);
        Stored<SendLog> read = store.log("acme", "ann").orElseThrow();
        assertThat(read.value()).isEqualTo(one);
        SendLog two = read.value().with(new SendLog.Entry("d2", T.plusSeconds(60), "messenger"), Duration.ofDays(1));
        store.replaceLog("acme", "ann", two, read.etag());
        assertThatThrownBy(() -> store.replaceLog("acme", "ann", two, read.etag())).isInstanceOf(StaleWrite.class);
        assertThat(store.log("acme", "ann").orElseThrow().value()).isEqualTo(two);
        assertThat(store.log("acme", "bob")).isEmpty();
        assertThat(store.log("globex", "ann")).isEmpty();
    }

    @Test
    void the_caps_row_and_a_subscriber_named_limits_do_not_collide() {
        CapStore store = newStore();
        store.putLimits(limits("acme", FrequencyLimits.Over.HOLD));
        store.createLog("acme", "limits", SendLog.EMPTY.with(new SendLog.Entry("d1", T, "webhook"), Duration.ofDays(1)));
        assertThat(store.limits("acme")).isPresent();
        assertThat(store.log("acme", "limits").orElseThrow().value().has("d1")).isTrue();
    }
}
