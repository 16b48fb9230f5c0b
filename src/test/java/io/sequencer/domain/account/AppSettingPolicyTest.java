package io.sequencer.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which app settings an account may name: only its own, under the admin's template, and never the platform's. */
class AppSettingPolicyTest {
    private static final AppSettingPolicy POLICY = AppSettingPolicy.of("SEQ_{ACCOUNT}__");

    @ParameterizedTest
    @CsvSource({
            "acme,            SEQ_ACME__",
            "demo-account,    SEQ_DEMO_ACCOUNT__",
            "e2e-1a2b3c4d,    SEQ_E2E_1A2B3C4D__",
            "Acme,            SEQ_041636D65__",
            "a_b,             SEQ_0615F62__",
            "a--b,            SEQ_0612D2D62__",
            "a-,              SEQ_0612D__",
            "acme.example,    SEQ_061636D652E6578616D706C65__",
            "7eleven,         SEQ_037656C6576656E__"})
    void an_account_s_prefix_is_its_id_upper_cased_when_plain_and_hex_encoded_otherwise(String account, String prefix) {
        assertThat(POLICY.prefixFor(account)).contains(prefix);
    }

    @Test
    void ids_that_a_plain_upper_casing_would_merge_get_different_prefixes() {
        assertThat(Map.of("a-b", 1, "a_b", 2, "A-B", 3, "a.b", 4, "A_B", 5).keySet().stream()
                .map(a -> POLICY.prefixFor(a).orElseThrow()).distinct()).hasSize(5);
    }

    @Test
    void an_account_may_name_settings_under_its_prefix_in_any_case() {
        assertThat(POLICY.problemWith("acme", "SEQ_ACME__SENDGRID_KEY")).isEmpty();
        assertThat(POLICY.problemWith("acme", "seq_acme__sendgrid_key")).isEmpty();
        assertThat(POLICY.problemWith("acme", "SEQ_ACME__HOOK_SECRET_PREVIOUS")).isEmpty();
        assertThat(POLICY.problemWith("demo-account", "SEQ_DEMO_ACCOUNT__WEBHOOK_SECRET")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SEQ_OTHER__KEY",                 // another account's
            "SEQ_ACME_SHOP__KEY",             // acme-shop's, which starts with acme's id
            "SEQ_ACME_",                      // a single '_' after the id
            "SEQ_ACME__",                     // the prefix alone
            "SEQ_ACME_KEY",
            "ACME__KEY",
            "SEQ_041636D65__KEY",             // Acme's
            "SEQ_0616363D65__KEY",
            "SEQ_\u0410CME__KEY",             // Cyrillic A
            "SEQ_ACME__\u212AEY",             // Kelvin sign, upper-cases like K
            "\u017fEQ_ACME__KEY",             // long s, upper-cases to S
            "ＳＥＱ_ACME__KEY",               // full-width
            "SEQ_ACME__KEY ",
            " SEQ_ACME__KEY",
            "SEQ_ACME__KEY\n",
            "SEQ_ACME__..",
            "..",
            "",
            " ",
            "SEQ_ACME__K-Y"})
    void anything_else_is_refused(String name) {
        assertThat(POLICY.problemWith("acme", name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AzureWebJobsStorage", "azurewebjobsstorage", "AZUREWEBJOBSSTORAGE__accountName",
            "WEBSITE_AUTH_ENCRYPTION_KEY", "website_auth_encryption_key", "IDENTITY_HEADER", "MSI_SECRET",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "FUNCTIONS_WORKER_RUNTIME", "SEQUENCER_FUNCTION_KEY",
            "Sequencer_Account_Setting_Prefix", "AzureWebJobsStorage_PREVIOUS"})
    void reserved_names_are_refused_whatever_the_template(String name) {
        for (AppSettingPolicy policy : new AppSettingPolicy[] {POLICY, AppSettingPolicy.of("APP_{ACCOUNT}__"),
                AppSettingPolicy.none()}) {
            assertThat(policy.problemWith("acme", name)).contains("must not name a setting reserved for the platform");
        }
    }

    @Test
    void a_reserved_name_is_refused_even_for_an_account_whose_id_spells_it_out() {
        AppSettingPolicy loose = AppSettingPolicy.of("X_{ACCOUNT}__");
        assertThat(loose.problemWith("website", "WEBSITE_AUTH_ENCRYPTION_KEY")).isPresent();
        assertThat(loose.problemWith("x", "X_X__KEY")).isEmpty();
    }

    @Test
    void without_a_template_no_account_may_name_any_setting() {
        for (AppSettingPolicy none : new AppSettingPolicy[] {AppSettingPolicy.none(), AppSettingPolicy.of(null),
                AppSettingPolicy.of("  "), AppSettingPolicy.fromSettings(name -> null)}) {
            assertThat(none.prefixFor("acme")).isEmpty();
            assertThat(none.problemWith("acme", "SEQ_ACME__KEY")).contains("may not name an app setting: this service "
                    + "allows none (an admin allows them with SEQUENCER_ACCOUNT_SETTING_PREFIX)");
        }
    }

    @Test
    void the_reason_names_the_account_s_own_prefix_and_is_the_same_for_every_refused_name() {
        String reason = "must name an app setting that starts with SEQ_INTRUDER__, this account's prefix";
        for (String name : new String[] {"SEQ_ACME__SENDGRID_KEY", "SEQ_ACME__NO_SUCH_KEY", "seq_acme__sendgrid_key",
                "SEQ_INTRUDE__KEY", "HOOK_SECRET"}) {
            assertThat(POLICY.problemWith("intruder", name)).as(name).contains(reason);
        }
    }

    @Test
    void an_invalid_account_id_may_name_nothing() {
        assertThat(POLICY.prefixFor("..")).isEmpty();
        assertThat(POLICY.problemWith("..", "SEQ_0" + "2E2E" + "__KEY")).isPresent();
        assertThat(POLICY.problemWith("", "SEQ___KEY")).isPresent();
    }

    @Test
    void a_template_in_another_shape_stops_start_up_naming_the_setting() {
        for (String template : new String[] {"SEQ_{ACCOUNT}_", "SEQ_{ACCOUNT}", "{ACCOUNT}__", "SEQ{ACCOUNT}__",
                "SEQ_{account}__", "SEQ_{ACCOUNT}__{ACCOUNT}__", "SEQUENCER_{ACCOUNT}__", "WEBSITE_{ACCOUNT}__",
                "AzureWebJobs_{ACCOUNT}__", "SEQ-{ACCOUNT}__", "1_{ACCOUNT}__", "SEQ_"}) {
            assertThatThrownBy(() -> AppSettingPolicy.fromSettings(Map.of(AppSettingPolicy.TEMPLATE_SETTING, template)::get))
                    .as(template).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("SEQUENCER_ACCOUNT_SETTING_PREFIX must");
        }
        assertThat(AppSettingPolicy.of(" MYCO_SEQ_{ACCOUNT}__APP_ ").prefixFor("acme")).isEqualTo(Optional.of("MYCO_SEQ_ACME__APP_"));
    }
}
