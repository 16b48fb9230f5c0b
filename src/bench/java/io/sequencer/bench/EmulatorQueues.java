package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.functions.StorageNames;

/**
 * Keeps the queue emulator as light as each part found it. Azurite answers every get with a scan over all the
 * messages its process holds, hidden ones included, so ticks a part leaves waiting would slow every get of every
 * later part (an Azure queue's get does not depend on what waits in it, or in other queues). The ticks a day away
 * that the enroll measurements park are never delivered within a run; once they are counted, they go.
 */
final class EmulatorQueues {
    private EmulatorQueues() {}

    static void dropParkedTicks(StorageClients storage) {
        storage.queue(StorageNames.PARKING_QUEUE).clearMessages();
    }
}
