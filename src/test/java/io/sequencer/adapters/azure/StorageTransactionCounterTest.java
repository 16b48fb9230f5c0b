package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each documented request shape of the Queue and Table services gets its kind, on Azure's addresses and on an
 * emulator's path-style ones; the requests the SDK makes against the emulator are checked in StorageCostTest.
 */
class StorageTransactionCounterTest {
    private static final StorageTransactionCounter QUEUE = StorageTransactionCounter.forQueues();
    private static final StorageTransactionCounter TABLE = StorageTransactionCounter.forTables();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "queue | POST   | http://127.0.0.1:10001/devstoreaccount1/ticks/messages?visibilitytimeout=30"
                + " | queue POST messages",
        "queue | GET    | http://127.0.0.1:10001/devstoreaccount1/ticks/messages?numofmessages=16"
                + " | queue GET messages",
        "queue | DELETE | http://127.0.0.1:10001/devstoreaccount1/ticks/messages/6f1c?popreceipt=AgAA"
                + " | queue DELETE message",
        "queue | PUT"
                + " | http://127.0.0.1:10001/devstoreaccount1/ticks/messages/6f1c?popreceipt=AgAA&visibilitytimeout=0",
                + " | queue PUT message",
        "queue | PUT    | http://127.0.0.1:10001/devstoreaccount1/ticks"
                + " | queue PUT queue",
        "queue | DELETE | http://127.0.0.1:10001/devstoreaccount1/ticks/messages"
                + " | queue DELETE messages",
        "table | GET    | https://acct.table.core.windows.net/enrollments(PartitionKey='acme%7Cwelcome',RowKey='ann')"
                + " | table GET row",
        "table | PUT    | https://acct.table.core.windows.net/enrollments(PartitionKey='a',RowKey='b')"
                + " | table PUT row",
        "table | GET    | https://acct.table.core.windows.net/enrollments()?$filter=PartitionKey%20eq%20'a'"
                + " | table GET rows",
        "table | POST   | https://acct.table.core.windows.net/subscribers"
                + " | table POST rows",
        "table | POST   | https://acct.table.core.windows.net/$batch"
                + " | table POST $batch",
        "table | POST   | https://acct.table.core.windows.net/Tables"
                + " | table POST tables",
        "table | GET    | http://127.0.0.1:10002/devstoreaccount1/enrollments(PartitionKey='a',RowKey='b')"
                + " | table GET row",
        "table | PATCH  | http://127.0.0.1:10002/devstoreaccount1/enrollments(PartitionKey='a',RowKey='~tally')"
                + " | table PATCH row",
        "table | DELETE | http://127.0.0.1:10002/devstoreaccount1/Tables('enrollments')"
                + " | table DELETE tables",
        "table | POST   | http://127.0.0.1:10002/devstoreaccount1/$batch"
                + " | table POST $batch",
    })
    void requests_are_named_by_their_service_and_what_they_address(String service, String method, String url,
                                                                     String kind) {
        StorageTransactionCounter counter = service.equals("queue") ? QUEUE : TABLE;
        assertThat(counter.kind(new HttpRequest(HttpMethod.valueOf(method), url))).isEqualTo(kind);
    }
}
