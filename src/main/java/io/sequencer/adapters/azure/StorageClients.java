package io.sequencer.adapters.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the storage clients from the Functions host's own connection settings, so the app and its queue
 * trigger always talk to the same account: {@code AzureWebJobsStorage} as a connection string, or, for
 * identity-based connections, {@code AzureWebJobsStorage__accountName} and/or the service URIs
 * ({@code __queueServiceUri}, {@code __tableServiceUri}), with {@code __credential=managedidentity} and
 * {@code __clientId} for a managed identity. A local emulator over HTTPS is trusted through
 * {@link StorageHttp#TRUSTED_CERTIFICATE}.
 */
public final class StorageClients {
    public static final String CONNECTION = "AzureWebJobsStorage";
    private static final String DEVELOPMENT = "UseDevelopmentStorage=true";
    private static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final StorageTarget target;
    private final HttpClient http;
    private final StorageTransactionCounter queueTransactions = StorageTransactionCounter.forQueues();
    private final StorageTransactionCounter tableTransactions = StorageTransactionCounter.forTables();
    /** Null for an identity-based connection given by its queue URI alone (a parking account is queues only). */
    private final TableServiceClient tables;

    private StorageClients(StorageTarget target, HttpClient http) {
        this.target = target;
        this.http = http;
        TableServiceClientBuilder builder = new TableServiceClientBuilder()
                .httpClient(http)
                .addPolicy(tableTransactions);
        if (target instanceof StorageTarget.Identity id) {
            this.tables = id.tableServiceUri() == null ? null
                    : builder.endpoint(id.tableServiceUri()).credential(id.credential()).buildClient();
        } else {
            this.tables = builder.connectionString(((StorageTarget.ConnectionString) target).value()).buildClient();
        }
    }

    private TableServiceClient tables() {
        if (tables == null) {
            String name = ((StorageTarget.Identity) target).connection();
            throw new IllegalStateException(name + "__tableServiceUri is not set, nor " + name
                    + "__accountName to derive it from");
        }
        return tables;
    }

    /**
     * The process's HTTP client that trusts the JDK's CAs, as the storage clients have it (see {@link StorageHttp});
     * also the client of the identity credentials and of Key Vault, so that they share its pool and timeouts.
     */
    public static HttpClient storageHttpClient() {
        return StorageHttp.create(setting -> null);
    }

    /** Reads the connection from app settings. @throws IllegalStateException naming what is missing */
    public static StorageClients fromSettings(Function<String, String> settings) {
        return new StorageClients(StorageTarget.fromSettings(settings, CONNECTION), StorageHttp.create(settings));
    }

    /**
     * Reads the connection named {@code name} (a connection string in {@code name}, or {@code name__accountName}
     * and friends), as the Functions host reads its own. Empty when neither is set.
     */
    public static java.util.Optional<StorageClients> fromSettings(Function<String, String> settings, String name) {
        if (!StorageTarget.isConfigured(settings, name)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new StorageClients(StorageTarget.fromSettings(settings, name), StorageHttp.create(settings)));
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
                .retryOptions(StorageHttp.QUEUE_RETRIES)
                .addPolicy(queueTransactions);
        if (target instanceof StorageTarget.Identity id) {
            builder.endpoint(id.queueServiceUri()).credential(id.credential());
        } else {
            builder.connectionString(((StorageTarget.ConnectionString) target).value());
        }
        return builder.buildClient();
    }

    /** Where the clients lead and how they authenticate, without secrets: for start-up logs and errors. */
    public String describe() {
        return target.describe();
    }

    public TableClient table(String name) {
        return tables().getTableClient(name);
    }

    /** Creates the queue and tables the app needs when they are missing (idempotent, done once per worker). */
    public void ensureExists(String queueName, String... tableNames) {
        try {
            queue(queueName).createIfNotExists();
            for (String table : tableNames) {
                tables().createTableIfNotExists(table);
            }
        } catch (ClientAuthenticationException e) {
            // The first storage call of a start: a wrong __clientId or a missing role must stop it with a message
            // that names the connection, not a silent trigger later.
            throw new IllegalStateException("cannot authenticate to storage as " + target.describe() + ": "
                    + rootCause(e).getMessage(), e);
        }
    }

    /** The credential's own reason (the token endpoint's answer), not the SDK's "see inner exception". */
    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    public long queueTransactions() {
        return queueTransactions.count();
    }

    public long tableTransactions() {
        return tableTransactions.count();
    }

    /** The requests made so far and the time they took, by {@link StorageTransactionCounter#kind kind}. */
    public Map<String, StorageTransactionCounter.RequestTimes> requestTimes() {
        return StorageTransactionCounter.requestTimes(queueTransactions, tableTransactions);
    }

    /** Where the storage account is and how to authenticate to it. */
    public sealed interface StorageTarget {
        /** Where and as whom, for an error message; never a secret. */
        String describe();

        record ConnectionString(String value) implements StorageTarget {
            @Override
            public String toString() {
                return "ConnectionString[redacted]";
            }

            @Override
            public String describe() {
                return "a connection string";
            }
        }

        /**
         * @param connection the connection's setting name, for messages
         * @param accountName null when the service URIs are given instead
         * @param tableServiceUri null when neither it nor the account name is given
         */
        record Identity(String connection, String accountName, String queueServiceUri, String tableServiceUri,
                        TokenCredential credential, String description) implements StorageTarget {
            @Override
            public String describe() {
                return description + " (queues " + queueServiceUri + ", tables "
                        + (tableServiceUri == null ? "not set" : tableServiceUri) + ")";
            }
        }

        static StorageTarget fromSettings(Function<String, String> settings) {
            return fromSettings(settings, CONNECTION);
        }

        /**
         * True when {@code name} is set up at all: as a connection string, or identity-based by its account name or
         * a service URI (as the Functions host reads a connection).
         */
        static boolean isConfigured(Function<String, String> settings, String name) {
            return blankToNull(settings.apply(name)) != null
                    || blankToNull(settings.apply(name + "__accountName")) != null
                    || blankToNull(settings.apply(name + "__queueServiceUri")) != null
                    || blankToNull(settings.apply(name + "__tableServiceUri")) != null;
        }

        static StorageTarget fromSettings(Function<String, String> settings, String name) {
            String connection = blankToNull(settings.apply(name));
            if (connection != null) {
                return new ConnectionString(connection.trim().equalsIgnoreCase(DEVELOPMENT) ? azuriteDefaults() : connection);
            }
            if (!isConfigured(settings, name)) {
                throw new IllegalStateException("storage is not configured: set " + name
                        + " to a connection string, or " + name + "__accountName (or " + name + "__queueServiceUri and "
                        + name + "__tableServiceUri) for a managed identity");
            }
            String account = blankToNull(settings.apply(name + "__accountName"));
            String queueUri = serviceUri(settings, name, "queue", account);
            if (queueUri == null) {
                throw new IllegalStateException(name + "__queueServiceUri is not set, nor " + name
                        + "__accountName to derive it from");
            }
            String tableUri = serviceUri(settings, name, "table", account);
            String credentialKind = blankToNull(settings.apply(name + "__credential"));
            String clientId = blankToNull(settings.apply(name + "__clientId"));
            if (credentialKind != null && credentialKind.toLowerCase(Locale.ROOT).equals("managedidentity")) {
                ManagedIdentityCredentialBuilder managed = new ManagedIdentityCredentialBuilder().httpClient(storageHttpClient());
                if (clientId != null) {
                    managed.clientId(clientId);
                }
                return new Identity(name, account, queueUri, tableUri, managed.build(),
                        "managed identity" + (clientId == null ? "" : " " + clientId));
            }
            DefaultAzureCredentialBuilder chain = new DefaultAzureCredentialBuilder().httpClient(storageHttpClient());
            if (clientId != null) {
                chain.managedIdentityClientId(clientId);
            }
            return new Identity(name, account, queueUri, tableUri, chain.build(), "DefaultAzureCredential");
        }

        /** The service URI as set, else the public one of the account, else null. */
        private static String serviceUri(Function<String, String> settings, String name, String service, String account) {
            String uri = blankToNull(settings.apply(name + "__" + service + "ServiceUri"));
            if (uri != null) {
                return uri.trim();
            }
            return account == null ? null : "https://" + account + "." + service + ".core.windows.net";
        }

        private static String azuriteDefaults() {
            return azuriteConnectionString("127.0.0.1", 10000, 10001, 10002);
        }

        static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
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
