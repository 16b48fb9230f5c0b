package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.local.ReceiverConnections;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Receivers close connections on their own terms, and a delivery must not pay for it: against each kind of
 * receiver, with a receiver of its own, every step of a three-step sequence reaches each of 20 subscribers on its
 * first attempt, once. The steps are a second apart, so kept connections sit idle between them for about as long
 * as the third receiver allows.
 */
class ReceiverKindsIT {
    private static final int SUBSCRIBERS = 20;
    private static final List<String> STEPS = List.of("one", "two", "three");
    private static LocalHostFixture host;

    @BeforeAll
    static void start() {
        host = LocalHostFixture.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static Stream<ReceiverConnections> receivers() {
        return Stream.of(new ReceiverConnections.Http10ClosesSilently(), new ReceiverConnections.SaysClose(),
                new ReceiverConnections.KeepAlive(Duration.ofSeconds(1)), ReceiverConnections.KeepAlive.forever());
    }

    private static String sequence(String account, String url) {
        return """
                {"name":"Receivers","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"first"}},
                  {"id":"two","delay":{"amount":1,"unit":"seconds"},"message":{"text":"second"}},
                  {"id":"three","delay":{"amount":1,"unit":"seconds"},"message":{"text":"third"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(url,
                LocalHostFixture.hookSecretSetting(account));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receivers")
    void every_step_reaches_the_receiver_on_its_first_attempt(ReceiverConnections connections) throws Exception {
        try (WebhookSink sink = new WebhookSink(LocalHostFixture.HOOK_SECRET, connections)) {
            String account = "recv-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/drip";
            assertThat(host.call("PUT", path, sequence(account, sink.url())).statusCode()).isEqualTo(201);
            List<String> subscribers = IntStream.rangeClosed(1, SUBSCRIBERS).mapToObj(i -> "s" + i).toList();
            for (String s : subscribers) {
                assertThat(host.call("PUT", path + "/subscribers/" + s, null).statusCode()).isEqualTo(201);
            }
            int expected = SUBSCRIBERS * STEPS.size();
            // A send that failed would come back on attempt 2 after a back-off of 10 s or more.
            await(() -> sink.received().size() >= expected, Duration.ofSeconds(60));
            Thread.sleep(1500); // anything extra would arrive now

            List<WebhookSink.Received> got = sink.received();
            assertThat(got).as("every delivery on its first attempt")
                    .allSatisfy(r -> assertThat(r.attempt()).as(r.subscriberId() + "/" + r.stepId()).isEqualTo(1));
            assertThat(got).hasSize(expected);
            assertThat(got).extracting(WebhookSink.Received::deliveryId).doesNotHaveDuplicates();
            assertThat(got).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
            Map<String, List<String>> steps = got.stream().collect(Collectors.groupingBy(WebhookSink.Received::subscriberId,
                    Collectors.mapping(WebhookSink.Received::stepId, Collectors.toList())));
            assertThat(steps).containsOnlyKeys(subscribers);
            assertThat(steps.values()).allSatisfy(mine -> assertThat(mine).containsExactlyElementsOf(STEPS));
        }
    }
}
