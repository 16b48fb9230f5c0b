package io.sequencer.domain.sequence;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.channel.ChannelConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the host submits to create or replace a sequence, already validated field by field. */
public record SequenceDraft(String name, List<Step> steps, ChannelConfig channel, Optional<ZoneId> timezone,
                            Optional<SendWindow> sendWindow, SequenceRules rules) {
    public SequenceDraft {
        steps = List.copyOf(steps);
        if (timezone == null || sendWindow == null || rules == null) {
            throw new IllegalArgumentException("timezone, sendWindow and rules may be empty, not null");
        }
        List<FieldError> problems = referenceProblems(steps, rules);
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
    }

    /** A draft without rules of its own. */
    public SequenceDraft(String name, List<Step> steps, ChannelConfig channel, Optional<ZoneId> timezone,
                         Optional<SendWindow> sendWindow) {
        this(name, steps, channel, timezone, sendWindow, SequenceRules.NONE);
    }

    /** A draft without a zone, window or rules of its own. */
    public SequenceDraft(String name, List<Step> steps, ChannelConfig channel) {
        this(name, steps, channel, Optional.empty(), Optional.empty(), SequenceRules.NONE);
    }

    /**
     * Step ids that rules and splits name but the steps do not have, and branches or splits that jump backwards (which could loop for
     * ever), each named by its request field.
     */
    public static List<FieldError> referenceProblems(List<Step> steps, SequenceRules rules) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.putIfAbsent(steps.get(i).id(), i);
        }
        List<FieldError> problems = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String path = "steps[" + i + "]";
            if (steps.get(i).id().equals("previous")) {
                problems.add(new FieldError(path + ".id", "must not be 'previous', which conditions use for the step before"));
            }
            StepRules stepRules = steps.get(i).rules();
            for (int b = 0; b < stepRules.branches().size(); b++) {
                String target = stepRules.branches().get(b).goTo();
                Integer at = index.get(target);
                if (at == null) {
                    problems.add(new FieldError(path + ".branches[" + b + "].goTo", "names no step of this sequence"));
                } else if (at <= i) {
                    problems.add(new FieldError(path + ".branches[" + b + "].goTo",
                            "must name a later step; jumping back could loop for ever"));
                }
            }
            List<SplitPath> split = steps.get(i).experiment().split();
            for (int a = 0; a < split.size(); a++) {
                Integer at = index.get(split.get(a).goTo());
                if (at == null) {
                    problems.add(new FieldError(path + ".split[" + a + "].goTo", "names no step of this sequence"));
                } else if (at < i) {
                    problems.add(new FieldError(path + ".split[" + a + "].goTo",
                            "must name this step or a later one; jumping back could loop for ever"));
                }
            }
            stepRules.conditions().flatMap(c -> c.namedSteps().stream()).distinct()
                    .filter(id -> !index.containsKey(id))
                    .forEach(id -> problems.add(new FieldError(path, "a condition names step " + id
                            + ", which this sequence does not have")));
            stepRules.waitFor().flatMap(EventMatch::stepId).filter(id -> !index.containsKey(id))
                    .ifPresent(id -> problems.add(new FieldError(path + ".waitFor.step", "names no step of this sequence")));
        }
        for (int g = 0; g < rules.exitWhen().size(); g++) {
            String path = "exitWhen[" + g + "].step";
            rules.exitWhen().get(g).stepId().filter(id -> !index.containsKey(id))
                    .ifPresent(id -> problems.add(new FieldError(path, "names no step of this sequence")));
        }
        for (int t = 0; t < rules.then().size(); t++) {
            String path = "then[" + t + "].step";
            if (rules.then().get(t) instanceof Trigger.OnEvent onEvent) {
                onEvent.event().stepId().filter(id -> !index.containsKey(id))
                        .ifPresent(id -> problems.add(new FieldError(path, "names no step of this sequence")));
            }
        }
        return problems;
    }
}
