package io.sequencer.engine.preview;

/**
 * What became of one test send: {@code delivered} (the destination accepted it) or not, with the channel's detail,
 * and the delivery id it carried.
 */
public record TestSendResult(String sequenceId, String stepId, String channel, String to, String deliveryId,
                             boolean delivered, String detail) {}
