package io.sequencer.it;

import static io.sequencer.testing.Await.await;

import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A receiver that hangs opens its circuit: four sends at a time hang until the client's read timeout, five of those
 * open it, and then its account's enrollments (all active, nothing recorded, the next one deferred), a timeline and
 * {@code GET /api/metrics} show it. {@link SlowNeighbourIT} times another account's steps beside the same receiver;
 * this, which takes two rounds of read timeouts, runs among the other tests.
 */
class OpenCircuitIT {
    @Test
    void a_hanging_receiver_s_circuit_opens_and_its_account_shows_the_deferred_steps() throws Exception {
        try (LocalHostFixture host = LocalHostFixture.start();
             SlowReceivers.HangingReceiver hanging = new SlowReceivers.HangingReceiver(Duration.ofSeconds(20))) {
            String account = "hangs-" + UUID.randomUUID().toString().substring(0, 8);
            SlowReceivers.define(host, account, hanging.url());
            SlowReceivers.enroll(host, account);
            await(() -> SlowReceivers.openCircuit(host, hanging.origin()) != null, Duration.ofSeconds(60));
            SlowReceivers.showsTheOpenCircuit(host, account, hanging.origin());
        }
    }
}
