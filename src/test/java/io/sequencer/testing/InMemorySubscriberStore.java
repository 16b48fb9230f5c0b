package io.sequencer.testing;

import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.subscriber.SubscriberStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link SubscriberStore} with ETags; held to the same contract as the table. */
public final class InMemorySubscriberStore implements SubscriberStore {
    private final Map<String, Stored<Subscriber>> rows = new ConcurrentSkipListMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<Subscriber>> find(String account, String subscriberId) {
        return Optional.ofNullable(rows.get(key(account, subscriberId)));
    }

    @Override
    public synchronized void create(Subscriber subscriber) {
        if (rows.putIfAbsent(key(subscriber.account(), subscriber.id()), stored(subscriber)) != null) {
            throw new AlreadyExists("subscriber " + subscriber.id());
        }
    }

    @Override
    public synchronized boolean createAll(String account, List<Subscriber> subscribers) {
        if (subscribers.stream().anyMatch(s -> rows.containsKey(key(account, s.id())))) {
            return false;
        }
        subscribers.forEach(s -> rows.put(key(account, s.id()), stored(s)));
        return true;
    }

    @Override
    public synchronized void replace(Subscriber subscriber, String etag) {
        String key = key(subscriber.account(), subscriber.id());
        Stored<Subscriber> current = rows.get(key);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("subscriber " + subscriber.id());
        }
        rows.put(key, stored(subscriber));
    }

    @Override
    public synchronized void delete(String account, String subscriberId, String etag) {
        Stored<Subscriber> current = rows.get(key(account, subscriberId));
        if (current == null) {
            return;
        }
        if (!current.etag().equals(etag)) {
            throw new StaleWrite("subscriber " + subscriberId);
        }
        rows.remove(key(account, subscriberId));
    }

    @Override
    public List<Subscriber> page(String account, Optional<String> afterId, int max) {
        String from = afterId.map(id -> key(account, id)).orElse(account + "\n");
        return rows.entrySet().stream()
                .filter(e -> e.getKey().compareTo(from) > 0 || afterId.isEmpty() && e.getKey().equals(from))
                .takeWhile(e -> e.getKey().startsWith(account + "\n"))
                .limit(max).map(e -> e.getValue().value()).toList();
    }

    private static String key(String account, String subscriberId) {
        return account + "\n" + subscriberId;
    }

    private Stored<Subscriber> stored(Subscriber subscriber) {
        return new Stored<>(subscriber, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
