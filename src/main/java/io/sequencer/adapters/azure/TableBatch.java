package io.sequencer.adapters.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.implementation.AzureTableImpl;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableTransactionAction;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An entity group transaction (up to 100 writes of one partition, all or none) sent as one {@code $batch} request
 * whose multipart body is written here, through the table client's own pipeline (its authentication, retries and
 * transaction counter).
 *
 * <p>The SDK's {@code TableClient.submitTransaction} prepares every write of a batch by running it through that
 * whole pipeline, signature included, before it assembles the body: measured on the batch enroll, those per-write
 * requests were half the CPU of the function, more than the emulator spent storing the rows. The body is the
 * documented wire format (Azure Tables "Performing entity group transactions"), which the SDK writes too; properties
 * are typed as the SDK types them ({@code Edm.Int64} for a long, {@code Edm.Binary} for bytes), so what is read back
 * through the SDK is what was written.
 */
final class TableBatch {
    /** What one write does; the entity's {@code odata.etag} property, if any, is its If-Match. */
    enum Kind { CREATE, UPSERT_REPLACE, UPDATE_REPLACE, DELETE }

    record Write(Kind kind, TableEntity entity) {
        /** The SDK's description of the same write (only the kinds above; a conditional one carries its ETag). */
        static Write of(TableTransactionAction action) {
            Kind kind = switch (action.getActionType()) {
                case CREATE -> Kind.CREATE;
                case UPSERT_REPLACE -> Kind.UPSERT_REPLACE;
                case UPDATE_REPLACE -> Kind.UPDATE_REPLACE;
                case DELETE -> Kind.DELETE;
                default -> throw new IllegalArgumentException("a batch here does not " + action.getActionType());
            };
            TableEntity entity = action.getEntity();
            if (!action.getIfUnchanged() && entity.getProperties().containsKey(ETAG)) {
                entity = new TableEntity(entity.getPartitionKey(), entity.getRowKey());
                for (Map.Entry<String, Object> p : action.getEntity().getProperties().entrySet()) {
                    if (!p.getKey().equals(ETAG)) {
                        entity.addProperty(p.getKey(), p.getValue());
                    }
                }
            }
            return new Write(kind, entity);
        }
    }

    /** The service refused the batch: nothing of it was written. {@code index} is the write it names, if it does. */
    static final class Refused extends RuntimeException {
        final int status;
        final TableErrorCode code;
        final Integer index;

        Refused(int status, String code, Integer index, String detail) {
            super("batch refused (" + status + " " + code + (index == null ? "" : " at write " + index) + "): " + detail);
            this.status = status;
            this.code = code == null ? null : TableErrorCode.fromString(code);
            this.index = index;
        }
    }

    private static final String ETAG = "odata.etag";
    private static final String VERSION = "2020-12-06";
    /** Each write's answer in the response starts with its status line (scanned for, not matched: answers are long). */
    private static final String STATUS_LINE = "HTTP/1.1 ";
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern INDEX = Pattern.compile("\"value\"\\s*:\\s*\"(\\d+):");

    private final HttpPipeline pipeline;
    private final String tableUrl;
    private final String serviceUrl;

    private TableBatch(HttpPipeline pipeline, String serviceUrl, String table) {
        this.pipeline = pipeline;
        this.serviceUrl = serviceUrl;
        this.tableUrl = serviceUrl + "/" + table;
    }

    /**
     * Batches of {@code table}, sent through its pipeline to its service address. The SDK keeps both in the client's
     * private implementation object; they are read here so that a batch is addressed, authenticated, retried and
     * counted exactly as the client's own requests, whatever credential built it. (The client's public
     * {@code getTableEndpoint()} drops the account from an emulator's path-style address, so it cannot be used.)
     */
    static TableBatch of(TableClient table) {
        try {
            Field field = TableClient.class.getDeclaredField("tablesImplementation");
            field.setAccessible(true);
            AzureTableImpl service = (AzureTableImpl) field.get(table);
            return new TableBatch(service.getHttpPipeline(), service.getUrl(), table.getTableName());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("this version of azure-data-tables keeps no table service to batch on", e);
        }
    }

    /**
     * Runs {@code writes} (1 to 100, one partition) as one transaction.
     * @throws Refused when the service refused it (nothing was written)
     */
    void submit(List<Write> writes) {
        if (writes.isEmpty() || writes.size() > 100) {
            throw new IllegalArgumentException("a batch has 1 to 100 writes, not " + writes.size());
        }
        String batch = "batch_" + UUID.randomUUID();
        String changeset = "changeset_" + UUID.randomUUID();
        StringBuilder body = new StringBuilder(writes.size() * 600);
        body.append("--").append(batch).append("\r\nContent-Type: multipart/mixed; boundary=").append(changeset)
                .append("\r\n\r\n");
        for (Write w : writes) {
            body.append("--").append(changeset)
                    .append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            part(body, w);
        }
        body.append("--").append(changeset).append("--\r\n\r\n--").append(batch).append("--\r\n");
        HttpRequest request = new HttpRequest(HttpMethod.POST, serviceUrl + "/$batch")
                .setHeader(HttpHeaderName.CONTENT_TYPE, "multipart/mixed; boundary=" + batch)
                .setHeader(HttpHeaderName.fromString("x-ms-version"), VERSION)
                .setHeader(HttpHeaderName.fromString("DataServiceVersion"), "3.0")
                .setHeader(HttpHeaderName.ACCEPT, "application/json;odata=minimalmetadata")
                .setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            String answer = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
            if (response.getStatusCode() != 202) {
                throw refused(response.getStatusCode(), answer);
            }
            boolean any = false;
            for (int at = answer.indexOf(STATUS_LINE); at >= 0; at = answer.indexOf(STATUS_LINE, at + 1)) {
                any = true;
                int code = statusAt(answer, at + STATUS_LINE.length());
                if (code >= 300) {
                    throw refused(code, answer.substring(at));
                }
            }
            if (!any) {
                throw new IllegalStateException("batch answered 202 without a response per write: " + answer);
            }
        }
    }

    private static int statusAt(String answer, int at) {
        if (at + 3 > answer.length()) {
            throw new IllegalStateException("batch answer cut short: " + answer.substring(Math.max(0, at - 40)));
        }
        return Integer.parseInt(answer.substring(at, at + 3));
    }

    private static Refused refused(int status, String answer) {
        Matcher code = CODE.matcher(answer);
        Matcher index = INDEX.matcher(answer);
        return new Refused(status, code.find() ? code.group(1) : null,
                index.find() ? Integer.valueOf(index.group(1)) : null,
                answer.length() > 300 ? answer.substring(0, 300) : answer);
    }

    private void part(StringBuilder body, Write w) {
        TableEntity e = w.entity();
        Object etag = e.getProperties().get(ETAG);
        String json = w.kind() == Kind.DELETE ? "" : json(e.getProperties());
        String method;
        String url;
        if (w.kind() == Kind.CREATE) {
            method = "POST";
            url = tableUrl;
        } else {
            method = w.kind() == Kind.DELETE ? "DELETE" : "PUT";
            url = tableUrl + "(PartitionKey='" + key(e.getPartitionKey()) + "',RowKey='" + key(e.getRowKey()) + "')";
        }
        body.append(method).append(' ').append(url).append(" HTTP/1.1\r\n");
        body.append("Content-Length: ").append(json.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        if (w.kind() == Kind.CREATE) {
            body.append("Prefer: return-no-content\r\n");
        }
        if (w.kind() != Kind.DELETE) {
            body.append("Content-Type: application/json\r\n");
        }
        if (w.kind() == Kind.UPDATE_REPLACE || w.kind() == Kind.DELETE) {
            body.append("If-Match: ").append(etag == null ? "*" : etag.toString()).append("\r\n");
        }
        body.append("DataServiceVersion: 3.0\r\nAccept: application/json;odata=minimalmetadata\r\n\r\n")
                .append(json).append("\r\n");
    }

    /** A key in an entity's address: single quotes doubled, then percent-encoded as a URL path. */
    private static String key(String value) {
        return URLEncoder.encode(value.replace("'", "''"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String json(Map<String, Object> properties) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                String name = p.getKey();
                Object v = p.getValue();
                if (v == null || name.equals(ETAG) || name.startsWith("odata.") || name.endsWith("@odata.type")
                        || name.equals("Timestamp")) {
                    continue;
                }
                if (v instanceof String s) {
                    g.writeStringField(name, s);
                } else if (v instanceof Long l) {
                    g.writeStringField(name + "@odata.type", "Edm.Int64");
                    g.writeStringField(name, Long.toString(l));
                } else if (v instanceof Integer i) {
                    g.writeNumberField(name, i);
                } else if (v instanceof Boolean b) {
                    g.writeBooleanField(name, b);
                } else if (v instanceof Double d && Double.isFinite(d)) {
                    g.writeNumberField(name, d);
                } else if (v instanceof byte[] bytes) {
                    g.writeStringField(name + "@odata.type", "Edm.Binary");
                    g.writeStringField(name, Base64.getEncoder().encodeToString(bytes));
                } else {
                    throw new IllegalArgumentException("property " + name + " has a type a batch does not write: "
                            + v.getClass().getName());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
