package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each documented request shape of the Queue and Table services gets its kind, on Azure's addresses and on an
 * emulator's path-style ones; the requests the SDK makes against the emulator are checked in StorageCostTest.
 */
class StorageTransactionCounterTest {
    private static final StorageTransactionCounter QUEUE = StorageTransactionCounter.forQueues();
    private static final StorageTransactionCounter TABLE = StorageTransactionCounter.forTables();
    /** Where each case's path is addressed: Azure's queue and table hosts, or an emulator's path-style address. */
    private static final Map<String, String> BASES = Map.of(
            "Q", "http://127.0.0.1:10001/devstoreaccount1/",
            "T", "https://acct.table.core.windows.net/",
            "E", "http://127.0.0.1:10002/devstoreaccount1/");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Q | queue | POST | ticks/messages?visibilitytimeout=30 | queue POST messages",
        "Q | queue | GET | ticks/messages?numofmessages=16 | queue GET messages",
        "Q | queue | DELETE | ticks/messages/6f1c?popreceipt=AgAA | queue DELETE message",
        "Q | queue | PUT | ticks/messages/6f1c?popreceipt=AgAA&visibilitytimeout=0 | queue PUT message",
        "Q | queue | PUT | ticks | queue PUT queue",
        "Q | queue | DELETE | ticks/messages | queue DELETE messages",
        "T | table | GET | enrollments(PartitionKey='acme%7Cwelcome',RowKey='ann') | table GET row",
        "T | table | PUT | enrollments(PartitionKey='a',RowKey='b') | table PUT row",
        "T | table | GET | enrollments()?$filter=PartitionKey%20eq%20'a' | table GET rows",
        "T | table | POST | subscribers | table POST rows",
        "T | table | POST | $batch | table POST $batch",
        "T | table | POST | Tables | table POST tables",
        "E | table | GET | enrollments(PartitionKey='a',RowKey='b') | table GET row",
        "E | table | PATCH | enrollments(PartitionKey='a',RowKey='~tally') | table PATCH row",
        "E | table | DELETE | Tables('enrollments') | table DELETE tables",
        "E | table | POST | $batch | table POST $batch",
    })
    void requests_are_named_by_their_service_and_what_they_address(String base, String service, String method,
                                                                     String path, String kind) {
        StorageTransactionCounter counter = service.equals("queue") ? QUEUE : TABLE;
        HttpRequest request = new HttpRequest(HttpMethod.valueOf(method), BASES.get(base) + path);
        assertThat(counter.kind(request)).isEqualTo(kind);
    }
}
