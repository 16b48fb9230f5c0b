package io.sequencer.engine.imports;

/** Port: wakes the job that applies an import's staged pages, one message per run of pages. */
public interface ImportQueue {
    /** Asks for the import's pages to be applied from where it stands (at least once; a duplicate is harmless). */
    void resume(String account, String importId);
}
