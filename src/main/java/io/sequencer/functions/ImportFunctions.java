package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.ImportFormats;
import io.sequencer.adapters.json.ImportJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.Imports;
import io.sequencer.engine.imports.RowError;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP functions that import an account's subscribers from a file (NDJSON or CSV) sent in parts of up to
 * {@link #MAX_PART_BYTES} each, and show how far an import got with its rows' errors. Each part is staged as it is
 * read; a queue-triggered job ({@link ImportPageFunction}) applies the rows.
 */
public final class ImportFunctions {
    /** A part's largest body: the host passes a body on whole, so the file comes in parts of at most this. */
    static final int MAX_PART_BYTES = 8 * 1024 * 1024;
    private static final int DEFAULT_ERRORS = 100;
    private static final String IMPORT_ROUTE = "accounts/{account}/imports/{importId}";

    @FunctionName("importSubscribers")
    public HttpResponseMessage start(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/subscribers:import") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            ImportFormats.Format format = format(request);
            boolean welcome = flag(request, "welcome", false);
            boolean last = flag(request, "last", true);
            String body = part(request);
            ImportJob job = FunctionApp.get().engine().imports().start(account, format.wireName(), welcome, last,
                    ImportFormats.part(format, body));
            return request.createResponseBuilder(HttpStatus.ACCEPTED)
                    .header("Content-Type", "application/json")
                    .header("Location", "/api/accounts/" + account + "/imports/" + job.id())
                    .body(Json.write(ImportJson.write(job)))
                    .build();
        });
    }

    @FunctionName("putImportPart")
    public HttpResponseMessage part(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = IMPORT_ROUTE + "/parts/{part}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("importId") String importId,
            @BindingName("part") String part,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("importId", importId);
            int number = partNumber(part);
            boolean last = flag(request, "last", true);
            Imports imports = FunctionApp.get().engine().imports();
            ImportFormats.Format format = ImportFormats.Format.fromWireName(imports.get(account, importId).format())
                    .orElseThrow();
            ImportJob job = imports.receive(account, importId, number, last, ImportFormats.part(format, part(request)));
            return HttpApi.json(request, HttpStatus.OK, ImportJson.write(job));
        });
    }

    @FunctionName("getImport")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = IMPORT_ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("importId") String importId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            long after = HttpApi.query(request, "errorsAfter").map(text -> whole("errorsAfter", text, 0,
                    Long.MAX_VALUE)).orElse(0L);
            int limit = HttpApi.query(request, "limit").map(text -> (int) whole("limit", text, 1, Imports.MAX_ERRORS))
                    .orElse(DEFAULT_ERRORS);
            Imports imports = FunctionApp.get().engine().imports();
            ImportJob job = imports.get(account, importId);
            List<RowError> errors = imports.errors(account, importId, after, limit);
            Optional<Long> next = errors.size() == limit ? Optional.of(errors.get(errors.size() - 1).line())
                    : Optional.empty();
            return HttpApi.json(request, HttpStatus.OK, ImportJson.write(job, errors, next));
        });
    }

    /** {@code ?format=csv|ndjson}, else the body's media type ({@code text/csv}, {@code application/x-ndjson}). */
    private static ImportFormats.Format format(HttpRequestMessage<Optional<String>> request) {
        Optional<String> named = HttpApi.query(request, "format");
        if (named.isPresent()) {
            return ImportFormats.Format.fromWireName(named.get().toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new Invalid("format", "must be csv or ndjson"));
        }
        String type = HttpApi.header(request, "Content-Type").orElse("").toLowerCase(Locale.ROOT);
        for (ImportFormats.Format format : ImportFormats.Format.values()) {
            if (type.startsWith(format.mediaType())) {
                return format;
            }
        }
        throw new Invalid("format", "is required: ?format=csv or ?format=ndjson, or a Content-Type of text/csv or"
                + " application/x-ndjson");
    }

    private static String part(HttpRequestMessage<Optional<String>> request) {
        return HttpApi.body(request, MAX_PART_BYTES).orElseThrow(() -> new Invalid("body", "is required: a part of"
                + " the file, sent with a Content-Length (a chunked body does not reach the app)"));
    }

    private static boolean flag(HttpRequestMessage<Optional<String>> request, String name, boolean absent) {
        Optional<String> text = HttpApi.query(request, name);
        if (text.isEmpty()) {
            return absent;
        }
        return switch (text.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Invalid(name, "must be true or false");
        };
    }

    private static int partNumber(String text) {
        return (int) whole("part", text, 1, 100_000);
    }

    private static long whole(String field, String text, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Named below.
        }
        throw new Invalid(field, "must be a whole number from " + min + " to " + max);
    }
}
