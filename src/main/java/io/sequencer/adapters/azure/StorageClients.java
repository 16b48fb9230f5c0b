package io.sequencer.adapters.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Builds the storage clients from the Functions host's own connection settings, so the app and its queue
 * trigger always talk to the same account: {@code AzureWebJobsStorage} as a connection string, or, for
 * identity-based connections, {@code AzureWebJobsStorage__accountName} (optionally {@code __queueServiceUri},
 * {@code __tableServiceUri}, {@code __credential=managedidentity} and {@code __clientId}).
 */
public final class StorageClients {
    public static final String CONNECTION = "AzureWebJobsStorage";
    private static final String DEVELOPMENT = "UseDevelopmentStorage=true";
    private static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final StorageTarget target;
    private final HttpClient http = storageHttpClient();
    private final StorageTransactionCounter queueTransactions = new StorageTransactionCounter();
    private final StorageTransactionCounter tableTransactions = new StorageTransactionCounter();
    private final TableServiceClient tables;

    private StorageClients(StorageTarget target) {
        this.target = target;
        TableServiceClientBuilder builder = new TableServiceClientBuilder()
                .httpClient(http)
                .addPolicy(tableTransactions);
        if (target instanceof StorageTarget.Identity id) {
            builder.endpoint(id.tableServiceUri()).credential(id.credential());
        } else {
            builder.connectionString(((StorageTarget.ConnectionString) target).value());
        }
        this.tables = builder.buildClient();
    }

    /**
     * The one HTTP client (and connection pool) of all storage clients. Idle connections are dropped after 4 s,
     * before a server that closes them at 5 s (Azurite does) can close one under a request being sent, and a
     * request without an answer is abandoned after 15 s for the SDK's retry policy to try again, instead of
     * holding a tick for the 60 s default. Storage point operations answer in milliseconds.
     */
    public static HttpClient storageHttpClient() {
        return HttpClient.createDefault(new HttpClientOptions()
                .setConnectionIdleTimeout(Duration.ofSeconds(4))
                .setResponseTimeout(Duration.ofSeconds(15)));
    }

    /** Reads the connection from app settings. @throws IllegalStateException naming what is missing */
    public static StorageClients fromSettings(Function<String, String> settings) {
        return new StorageClients(StorageTarget.fromSettings(settings, CONNECTION));
    }

    /**
     * Reads the connection named {@code name} (a connection string in {@code name}, or {@code name__accountName}
     * and friends), as the Functions host reads its own. Empty when neither is set.
     */
    public static java.util.Optional<StorageClients> fromSettings(Function<String, String> settings, String name) {
        if (StorageTarget.blankToNull(settings.apply(name)) == null
                && StorageTarget.blankToNull(settings.apply(name + "__accountName")) == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new StorageClients(StorageTarget.fromSettings(settings, name)));
    }

    /** A queue client whose messages use base64, exactly what the Functions queue trigger expects. */
    public QueueClient queue(String name) {
        return queue(name, QueueMessageEncoding.BASE64);
    }

    /**
     * A queue client that hands message text over as stored, for a queue that may hold text a base64 client
     * cannot decode (a poison queue: the host moves a message that is not base64 there too).
     */
    public QueueClient rawQueue(String name) {
        return queue(name, QueueMessageEncoding.NONE);
    }

    private QueueClient queue(String name, QueueMessageEncoding encoding) {
        QueueClientBuilder builder = new QueueClientBuilder()
                .queueName(name)
                .messageEncoding(encoding)
                .httpClient(http)
                .addPolicy(queueTransactions);
        if (target instanceof StorageTarget.Identity id) {
            builder.endpoint(id.queueServiceUri()).credential(id.credential());
        } else {
            builder.connectionString(((StorageTarget.ConnectionString) target).value());
        }
        return builder.buildClient();
    }

    public TableClient table(String name) {
        return tables.getTableClient(name);
    }

    /** Creates the queue and tables the app needs when they are missing (idempotent, done once per worker). */
    public void ensureExists(String queueName, String... tableNames) {
        queue(queueName).createIfNotExists();
        for (String table : tableNames) {
            tables.createTableIfNotExists(table);
        }
    }

    public long queueTransactions() {
        return queueTransactions.count();
    }

    public long tableTransactions() {
        return tableTransactions.count();
    }

    /** Where the storage account is and how to authenticate to it. */
    public sealed interface StorageTarget {
        record ConnectionString(String value) implements StorageTarget {
            @Override
            public String toString() {
                return "ConnectionString[redacted]";
            }
        }

        record Identity(String accountName, String queueServiceUri, String tableServiceUri, TokenCredential credential,
                        String description) implements StorageTarget {}

        static StorageTarget fromSettings(Function<String, String> settings) {
            return fromSettings(settings, CONNECTION);
        }

        static StorageTarget fromSettings(Function<String, String> settings, String name) {
            String connection = blankToNull(settings.apply(name));
            if (connection != null) {
                return new ConnectionString(connection.trim().equalsIgnoreCase(DEVELOPMENT) ? azuriteDefaults() : connection);
            }
            String account = blankToNull(settings.apply(name + "__accountName"));
            if (account == null) {
                throw new IllegalStateException("storage is not configured: set " + name
                        + " to a connection string, or " + name + "__accountName for a managed identity");
            }
            String queueUri = orDefault(settings.apply(name + "__queueServiceUri"),
                    "https://" + account + ".queue.core.windows.net");
            String tableUri = orDefault(settings.apply(name + "__tableServiceUri"),
                    "https://" + account + ".table.core.windows.net");
            String credentialKind = blankToNull(settings.apply(name + "__credential"));
            String clientId = blankToNull(settings.apply(name + "__clientId"));
            if (credentialKind != null && credentialKind.toLowerCase(Locale.ROOT).equals("managedidentity")) {
                ManagedIdentityCredentialBuilder managed = new ManagedIdentityCredentialBuilder();
                if (clientId != null) {
                    managed.clientId(clientId);
                }
                return new Identity(account, queueUri, tableUri, managed.build(),
                        "managed identity" + (clientId == null ? "" : " " + clientId));
            }
            DefaultAzureCredentialBuilder chain = new DefaultAzureCredentialBuilder();
            if (clientId != null) {
                chain.managedIdentityClientId(clientId);
            }
            return new Identity(account, queueUri, tableUri, chain.build(), "DefaultAzureCredential");
        }

        private static String azuriteDefaults() {
            return azuriteConnectionString("127.0.0.1", 10000, 10001, 10002);
        }

        static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }

        private static String orDefault(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    /** The Azurite connection string for the given ports (used by the local host and tests). */
    public static String azuriteConnectionString(String host, int blobPort, int queuePort, int tablePort) {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURITE_KEY
                + ";BlobEndpoint=http://" + host + ":" + blobPort + "/devstoreaccount1"
                + ";QueueEndpoint=http://" + host + ":" + queuePort + "/devstoreaccount1"
                + ";TableEndpoint=http://" + host + ":" + tablePort + "/devstoreaccount1;";
    }
}
