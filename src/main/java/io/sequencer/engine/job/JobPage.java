package io.sequencer.engine.job;

/**
 * The queue message that runs page {@code page} of a job; {@code waits} counts how often it came back because the
 * job's write it follows had not landed yet.
 */
public record JobPage(String account, String jobId, int page, int waits) {
    /** Times a page comes back for a write that has not landed before it is dropped. */
    public static final int MAX_WAITS = 8;

    public JobPage {
        if (account == null || jobId == null || page < 0 || waits < 0) {
            throw new IllegalArgumentException("account, jobId, page >= 0 and waits >= 0 are required");
        }
    }

    public JobPage waitedOnce() {
        return new JobPage(account, jobId, page, waits + 1);
    }
}
