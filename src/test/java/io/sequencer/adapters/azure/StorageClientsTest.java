package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void service_uris_alone_are_an_identity_based_connection_to_those_endpoints() {
        var target = StorageClients.StorageTarget.fromSettings(Map.of(
                "AzureWebJobsStorage__queueServiceUri", "https://127.0.0.1:10011/seqlocal",
                "AzureWebJobsStorage__tableServiceUri", "https://127.0.0.1:10012/seqlocal",
                "AzureWebJobsStorage__blobServiceUri", "https://127.0.0.1:10010/seqlocal",
                "AzureWebJobsStorage__credential", "managedidentity",
                "AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000002")::get);
        assertThat(target).isInstanceOfSatisfying(StorageClients.StorageTarget.Identity.class, id -> {
            assertThat(id.queueServiceUri()).isEqualTo("https://127.0.0.1:10011/seqlocal");
            assertThat(id.tableServiceUri()).isEqualTo("https://127.0.0.1:10012/seqlocal");
            assertThat(id.describe()).isEqualTo("managed identity 00000000-0000-0000-0000-000000000002"
                    + " (queues https://127.0.0.1:10011/seqlocal, tables https://127.0.0.1:10012/seqlocal)");
        });
    }

    @Test
    void tables_of_a_connection_given_by_its_queue_uri_alone_name_the_missing_setting() {
        StorageClients queuesOnly = StorageClients.fromSettings(Map.of(
                "AzureWebJobsStorage__queueServiceUri", "https://stseq.queue.core.windows.net")::get);
        assertThatThrownBy(() -> queuesOnly.table("enrollments"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AzureWebJobsStorage__tableServiceUri is not set, nor AzureWebJobsStorage__accountName"
                        + " to derive it from");
    }

    @Test
    void a_table_uri_without_a_queue_uri_or_an_account_name_names_the_missing_setting() {
        assertThatThrownBy(() -> StorageClients.StorageTarget.fromSettings(Map.of(
                "AzureWebJobsStorage__tableServiceUri", "https://stseq.table.core.windows.net")::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("AzureWebJobsStorage__queueServiceUri is not set");
    }

    @Test
    void a_parking_connection_given_by_its_queue_uri_alone_is_configured() {
        assertThat(StorageClients.fromSettings(Map.of(
                "SEQUENCER_PARKING_STORAGE__queueServiceUri", "https://stpark.queue.core.windows.net",
                "SEQUENCER_PARKING_STORAGE__credential", "managedidentity")::get, "SEQUENCER_PARKING_STORAGE"))
                .isPresent();
    }

    @Test
    void a_trusted_certificate_that_is_not_pem_stops_start_up_naming_the_setting(@TempDir Path folder) throws Exception {
        Path notPem = Files.writeString(folder.resolve("azurite.pem"), "not a certificate");
        assertThatThrownBy(() -> StorageClients.fromSettings(Map.of(StorageClients.CONNECTION, "UseDevelopmentStorage=true",
                StorageHttp.TRUSTED_CERTIFICATE, notPem.toString())::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(StorageHttp.TRUSTED_CERTIFICATE);
    }

    @Test
    void no_storage_setting_is_a_clear_configuration_error() {
        assertThatThrownBy(() -> StorageClients.StorageTarget.fromSettings(Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AzureWebJobsStorage");
    }
}
