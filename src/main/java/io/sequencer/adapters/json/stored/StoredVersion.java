package io.sequencer.adapters.json.stored;

/**
 * The version every stored form carries in its {@code v} field. Version 0 is a form written before forms carried
 * one (no {@code v} at all); version 1 is the first to carry it. A reader accepts every version up to the one it
 * writes and refuses a newer one by name rather than guess what a later format meant.
 */
public final class StoredVersion {
    public static final String FIELD = "v";
    /** What every writer writes today. */
    public static final int CURRENT = 1;

    private StoredVersion() {}

    /** {@code raw} (the {@code v} value, null when absent) as a version this code can read. */
    public static int check(String what, Object raw) {
        if (raw == null) {
            return 0;
        }
        if (!(raw instanceof Number number) || number.longValue() < 0) {
            throw new UnreadableStoredForm(what, FIELD, "is not a format version: " + raw);
        }
        if (number.longValue() > CURRENT) {
            throw new UnreadableStoredForm(what, FIELD, "is " + number + ", newer than the newest format this "
                    + "version reads (" + CURRENT + ")");
        }
        return number.intValue();
    }
}
