package io.sequencer.adapters.azure;

import com.azure.data.tables.models.TableServiceException;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import java.util.function.Supplier;

/** Translates Table storage's status codes into the engine's typed storage outcomes. */
final class TableErrors {
    private TableErrors() {}

    static boolean isNotFound(TableServiceException e) {
        return e.getResponse() != null && e.getResponse().getStatusCode() == 404;
    }

    static void write(String what, Runnable write) {
        try {
            write.run();
        } catch (TableServiceException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            if (status == 409) {
                throw new AlreadyExists(what);
            }
            if (status == 412) {
                throw new StaleWrite(what);
            }
            throw e;
        }
    }

    static <T> T readOrNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (TableServiceException e) {
            if (isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }
}
