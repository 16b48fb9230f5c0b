package io.sequencer.domain.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.Ids;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * No app setting name is open to two accounts: for any accounts A and B that differ, whatever B may name, A may
 * not. Ids are drawn from a small alphabet, and pairs are also derived from each other (a hyphen for an underscore,
 * another case, one id extending the other), so near-collisions are the usual case, not a rare one.
 */
class AppSettingPolicyPropertyTest {
    private static final String PREVIOUS = "_PREVIOUS";

    @Property(tries = 3000)
    void a_name_open_to_one_account_is_closed_to_every_other(@ForAll("templates") String template,
                                                            @ForAll("accountPairs") String[] pair,
                                                            @ForAll("suffixes") String suffix,
                                                            @ForAll boolean lowerCase) {
        String a = pair[0];
        String b = pair[1];
        Assume.that(!a.equals(b));
        AppSettingPolicy policy = AppSettingPolicy.of(template);
        String name = policy.prefixFor(b).orElseThrow() + suffix;
        Assume.that(name.length() <= 128);
        if (lowerCase) {
            name = name.toLowerCase(Locale.ROOT);
        }
        assertThat(policy.allows(b, name)).as("B may use its own %s", name).isTrue();
        assertThat(policy.allows(a, name)).as("A=%s may not use B=%s's %s", a, b, name).isFalse();
        assertThat(policy.allows(a, name + PREVIOUS)).isFalse();
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of("SEQ_{ACCOUNT}__", "A_{ACCOUNT}__", "MYCO_SEQ_{ACCOUNT}___", "SEQ_{ACCOUNT}__X_");
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.strings().withChars("AZ09_").ofMinLength(1).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String[]> accountPairs() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abAB01-_.").ofMinLength(1).ofMaxLength(10)
                .filter(id -> Ids.problemWith(id).isEmpty());
        Arbitrary<String[]> independent = Combinators.combine(ids, ids).as((x, y) -> new String[] {x, y});
        Arbitrary<String[]> derived = Combinators.combine(ids, ids, Arbitraries.integers().between(0, 4)).as((x, y, how) -> {
            String other = switch (how) {
                case 0 -> x.replace('-', '_');
                case 1 -> x.replace('_', '-');
                case 2 -> x.toUpperCase(Locale.ROOT);
                case 3 -> x + "-" + y;
                default -> x + "_" + y;
            };
            return new String[] {x, other};
        }).filter(p -> Ids.problemWith(p[1]).isEmpty());
        Arbitrary<String[]> pairs = Arbitraries.oneOf(independent, derived);
        // Either may be the one that names the other's setting.
        return Combinators.combine(pairs, Arbitraries.of(true, false)).as((p, swap) -> swap ? new String[] {p[1], p[0]} : p);
    }
}
