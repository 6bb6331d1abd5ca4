package io.clusterserving.bench.cluster;

import java.time.Duration;

/**
 * One queue a Cluster Serving job reads, driven by {@code cluster bench}: puts a burst of requests on
 * it and waits until the job has written every result.
 */
public interface QueueLoad extends AutoCloseable {

    /** Where the load goes, for the report's header. */
    String describe();

    /**
     * Enqueues {@code records} requests with uris {@code prefix + i} and the same body, then waits until
     * all their results are written (or {@code timeout} passes: DEADLINE_EXCEEDED naming how many are
     * missing). Every result is checked for an error, when {@code check} says.
     */
    RunResult run(String prefix, int records, String body, Duration timeout, ResultCheck check)
            throws InterruptedException;

    /** When a run's results are decoded and checked for errors. */
    enum ResultCheck {
        /** After the clock stops, so checking takes no CPU from the job while it is measured. */
        AFTER_CLOCK,
        /**
         * As they arrive, keeping none: for the warm-up, whose millions of results kept for later would
         * fill gigabytes of heap and leave the measured runs after it a garbage collector's worth of work.
         */
        ON_ARRIVAL
    }

    @Override
    void close();
}
