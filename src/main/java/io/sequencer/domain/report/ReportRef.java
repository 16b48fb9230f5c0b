package io.sequencer.domain.report;

import io.sequencer.domain.Ids;
import java.util.Objects;
import java.util.Optional;

/** One report of one account: a sequence's or a broadcast's, by its id. */
public record ReportRef(Kind kind, String account, String reportId) {
    public enum Kind {
        SEQUENCE('s'), BROADCAST('b');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        /** The one character that names the kind inside a report link token. */
        char code() {
            return code;
        }

        static Optional<Kind> ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    public ReportRef {
        Objects.requireNonNull(kind, "kind");
        Ids.require("account", account);
        Ids.require(kind == Kind.SEQUENCE ? "sequenceId" : "broadcastId", reportId);
    }
}
