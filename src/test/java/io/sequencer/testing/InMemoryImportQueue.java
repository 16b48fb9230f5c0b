package io.sequencer.testing;

import io.sequencer.engine.imports.ImportQueue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** In-memory {@link ImportQueue}: the messages in the order put, for a test to take as the trigger would. */
public final class InMemoryImportQueue implements ImportQueue {
    /** One wake-up message. */
    public record Wake(String account, String importId) {}

    private final Deque<Wake> messages = new ArrayDeque<>();

    @Override
    public synchronized void resume(String account, String importId) {
        messages.add(new Wake(account, importId));
    }

    public synchronized Optional<Wake> take() {
        return Optional.ofNullable(messages.poll());
    }

    public synchronized int size() {
        return messages.size();
    }
}
