package io.sequencer.testing;

import io.sequencer.engine.send.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A resolver that answers what the test says (and can change its answer, as a rebinding DNS server does). */
public final class ScriptedResolver implements HostResolver {
    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    /** From now on {@code name} resolves to {@code addresses} (IP literals). */
    public ScriptedResolver answer(String name, String... addresses) {
        List<InetAddress> parsed = new ArrayList<>();
        for (String a : addresses) {
            try {
                parsed.add(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a literal: " + a, e);
            }
        }
        answers.put(name, List.copyOf(parsed));
        return this;
    }

    /** Names asked for, in order. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public List<InetAddress> resolve(String name) throws UnknownHostException {
        asked.add(name);
        List<InetAddress> answer = answers.get(name);
        if (answer == null) {
            throw new UnknownHostException(name);
        }
        return answer;
    }
}
