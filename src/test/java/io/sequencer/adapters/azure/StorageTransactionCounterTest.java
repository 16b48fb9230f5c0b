package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * Each documented request shape of the Queue and Table services gets its kind; the requests the SDK makes against
 * the emulator are checked in StorageCostTest.
 */
class StorageTransactionCounterTest {
    private static final String QUEUES = "http://127.0.0.1:10001/devstoreaccount1/";
    private static final String TABLES = "https://acct.table.core.windows.net/";
    private static final String EMULATED_TABLES = "http://127.0.0.1:10002/devstoreaccount1/";
    private static final StorageTransactionCounter QUEUE = StorageTransactionCounter.forQueues();
    private static final StorageTransactionCounter TABLE = StorageTransactionCounter.forTables();

    @Test
    void queue_requests_are_named_by_what_they_address() {
        assertThat(kind(QUEUE, HttpMethod.POST, QUEUES + "ticks/messages?visibilitytimeout=30"))
                .isEqualTo("queue POST messages");
        assertThat(kind(QUEUE, HttpMethod.GET, QUEUES + "ticks/messages?numofmessages=16"))
                .isEqualTo("queue GET messages");
        assertThat(kind(QUEUE, HttpMethod.DELETE, QUEUES + "ticks/messages/6f1c?popreceipt=AgAA"))
                .isEqualTo("queue DELETE message");
        assertThat(kind(QUEUE, HttpMethod.PUT, QUEUES + "ticks/messages/6f1c?popreceipt=AgAA&visibilitytimeout=0"))
                .isEqualTo("queue PUT message");
        assertThat(kind(QUEUE, HttpMethod.PUT, QUEUES + "ticks")).isEqualTo("queue PUT queue");
        assertThat(kind(QUEUE, HttpMethod.DELETE, QUEUES + "ticks/messages")).isEqualTo("queue DELETE messages");
    }

    @Test
    void table_requests_are_named_by_what_they_address() {
        assertThat(kind(TABLE, HttpMethod.GET, TABLES + "enrollments(PartitionKey='acme%7Cwelcome',RowKey='ann')"))
                .isEqualTo("table GET row");
        assertThat(kind(TABLE, HttpMethod.PUT, TABLES + "enrollments(PartitionKey='a',RowKey='b')"))
                .isEqualTo("table PUT row");
        assertThat(kind(TABLE, HttpMethod.GET, TABLES + "enrollments()?$filter=PartitionKey%20eq%20'a'"))
                .isEqualTo("table GET rows");
        assertThat(kind(TABLE, HttpMethod.POST, TABLES + "subscribers")).isEqualTo("table POST rows");
        assertThat(kind(TABLE, HttpMethod.POST, TABLES + "$batch")).isEqualTo("table POST $batch");
        assertThat(kind(TABLE, HttpMethod.POST, TABLES + "Tables")).isEqualTo("table POST tables");
    }

    @Test
    void an_emulators_path_style_addresses_and_a_merge_are_named_alike() {
        assertThat(kind(TABLE, HttpMethod.GET, EMULATED_TABLES + "enrollments(PartitionKey='a',RowKey='b')"))
                .isEqualTo("table GET row");
        assertThat(kind(TABLE, HttpMethod.PATCH, EMULATED_TABLES + "enrollments(PartitionKey='a',RowKey='~tally')"))
                .isEqualTo("table PATCH row");
        assertThat(kind(TABLE, HttpMethod.DELETE, EMULATED_TABLES + "Tables('enrollments')"))
                .isEqualTo("table DELETE tables");
        assertThat(kind(TABLE, HttpMethod.POST, EMULATED_TABLES + "$batch")).isEqualTo("table POST $batch");
    }

    private static String kind(StorageTransactionCounter counter, HttpMethod method, String url) {
        return counter.kind(new HttpRequest(method, url));
    }
}
