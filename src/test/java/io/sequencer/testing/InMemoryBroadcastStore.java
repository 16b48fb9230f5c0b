package io.sequencer.testing;

import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.broadcast.BroadcastStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link BroadcastStore} with ETags; held to the same contract as the table. */
public final class InMemoryBroadcastStore implements BroadcastStore {
    private final Map<String, Stored<Broadcast>> broadcasts = new HashMap<>();
    /** Each broadcast's listed subscribers, page by page, as the table keeps them. */
    private final Map<String, List<List<AudienceMember>>> listed = new HashMap<>();
    private final Map<String, Stored<Recipient>> recipients = new HashMap<>();
    private final Map<String, Tally> tallies = new HashMap<>();
    private final Map<String, Map<String, Instant>> leases = new HashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public synchronized Optional<Stored<Broadcast>> find(String account, String broadcastId) {
        return Optional.ofNullable(broadcasts.get(key(account, broadcastId)));
    }

    @Override
    public synchronized List<Broadcast> list(String account) {
        return broadcasts.values().stream().map(Stored::value).filter(b -> b.account().equals(account))
                .sorted(Comparator.comparing(Broadcast::id)).toList();
    }

    @Override
    public synchronized void create(Broadcast broadcast, List<AudienceMember> members) {
        String key = key(broadcast.account(), broadcast.id());
        if (broadcasts.containsKey(key)) {
            throw new AlreadyExists("broadcast " + broadcast.id());
        }
        broadcasts.put(key, stored(broadcast));
        List<List<AudienceMember>> pages = new ArrayList<>();
        for (int from = 0; from < members.size(); from += Broadcast.LISTED_PAGE) {
            pages.add(List.copyOf(members.subList(from, Math.min(members.size(), from + Broadcast.LISTED_PAGE))));
        }
        listed.put(key, pages);
    }

    @Override
    public synchronized void replace(Broadcast broadcast, String etag) {
        String key = key(broadcast.account(), broadcast.id());
        Stored<Broadcast> current = broadcasts.get(key);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("broadcast " + broadcast.id());
        }
        broadcasts.put(key, stored(broadcast));
    }

    @Override
    public synchronized List<AudienceMember> listedPage(String account, String broadcastId, int page) {
        List<List<AudienceMember>> pages = listed.getOrDefault(key(account, broadcastId), List.of());
        return page < pages.size() ? pages.get(page) : List.of();
    }

    @Override
    public synchronized void forget(String account, String broadcastId, String subscriberId) {
        recipients.remove(key(account, broadcastId, subscriberId));
        List<List<AudienceMember>> pages = listed.get(key(account, broadcastId));
        if (pages != null) {
            pages.replaceAll(page -> page.stream().filter(m -> !m.subscriberId().equals(subscriberId)).toList());
        }
    }

    @Override
    public synchronized int addRecipients(String account, String broadcastId, List<Recipient> batch) {
        int added = 0;
        for (Recipient r : batch) {
            String key = key(account, broadcastId, r.subscriberId());
            if (!recipients.containsKey(key)) {
                recipients.put(key, stored(r));
                count(account, broadcastId, r.tallyChange(Optional.empty()));
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized Optional<Stored<Recipient>> recipient(String account, String broadcastId, String subscriberId) {
        return Optional.ofNullable(recipients.get(key(account, broadcastId, subscriberId)));
    }

    @Override
    public synchronized String replaceRecipient(Recipient next, String etag) {
        String key = key(next.account(), next.broadcastId(), next.subscriberId());
        Stored<Recipient> current = recipients.get(key);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("recipient " + next.subscriberId());
        }
        Stored<Recipient> written = stored(next);
        recipients.put(key, written);
        return written.etag();
    }

    @Override
    public synchronized void replaceRecipient(Recipient next, String etag, Tally change) {
        replaceRecipient(next, etag);
        count(next.account(), next.broadcastId(), change);
    }

    @Override
    public synchronized Tally tally(String account, String broadcastId) {
        return tallies.getOrDefault(key(account, broadcastId), Tally.EMPTY);
    }

    @Override
    public synchronized void openLease(String account, String broadcastId, String token, Instant until) {
        leases.computeIfAbsent(key(account, broadcastId), k -> new HashMap<>()).put(token, until);
    }

    @Override
    public synchronized void closeLease(String account, String broadcastId, String token) {
        leases.getOrDefault(key(account, broadcastId), new HashMap<>()).remove(token);
    }

    @Override
    public synchronized List<Instant> leases(String account, String broadcastId) {
        return new ArrayList<>(leases.getOrDefault(key(account, broadcastId), Map.of()).values());
    }

    /** Every stored recipient of the broadcast (for assertions). */
    public synchronized List<Recipient> recipients(String account, String broadcastId) {
        String prefix = key(account, broadcastId) + "\n";
        return recipients.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> e.getValue().value()).toList();
    }

    private void count(String account, String broadcastId, Tally change) {
        tallies.merge(key(account, broadcastId), change, Tally::plus);
    }

    private static String key(String... parts) {
        return String.join("\n", parts);
    }

    private <T> Stored<T> stored(T value) {
        return new Stored<>(value, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
