package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageClientsTest {

    @Test
    void a_connection_string_setting_is_used_as_is() {
        var target = StorageClients.StorageTarget.fromSettings(Map.of("AzureWebJobsStorage",
                "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net")::get);
        assertThat(target).isInstanceOf(StorageClients.StorageTarget.ConnectionString.class);
        assertThat(target.toString()).doesNotContain("a2V5");
    }

    @Test
    void development_storage_means_azurite_on_its_default_ports() {
        var target = StorageClients.StorageTarget.fromSettings(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true")::get);
        assertThat(((StorageClients.StorageTarget.ConnectionString) target).value())
                .contains("QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1")
                .contains("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1");
    }

    @Test
    void an_account_name_alone_means_an_identity_based_connection_to_the_public_endpoints() {
        var target = StorageClients.StorageTarget.fromSettings(Map.of("AzureWebJobsStorage__accountName", "seqprod")::get);
        assertThat(target).isInstanceOfSatisfying(StorageClients.StorageTarget.Identity.class, id -> {
            assertThat(id.queueServiceUri()).isEqualTo("https://seqprod.queue.core.windows.net");
            assertThat(id.tableServiceUri()).isEqualTo("https://seqprod.table.core.windows.net");
            assertThat(id.description()).isEqualTo("DefaultAzureCredential");
        });
    }

    @Test
    void a_user_assigned_managed_identity_is_chosen_by_credential_and_client_id() {
        var target = StorageClients.StorageTarget.fromSettings(Map.of(
                "AzureWebJobsStorage__accountName", "seqprod",
                "AzureWebJobsStorage__credential", "managedidentity",
                "AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001",
                "AzureWebJobsStorage__queueServiceUri", "https://custom.queue.example")::get);
        assertThat(target).isInstanceOfSatisfying(StorageClients.StorageTarget.Identity.class, id -> {
            assertThat(id.description()).isEqualTo("managed identity 00000000-0000-0000-0000-000000000001");
            assertThat(id.queueServiceUri()).isEqualTo("https://custom.queue.example");
        });
    }

    @Test
    void no_storage_setting_is_a_clear_configuration_error() {
        assertThatThrownBy(() -> StorageClients.StorageTarget.fromSettings(Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AzureWebJobsStorage");
    }
}
