package io.clusterserving.cli.cluster.bench;

import java.time.Duration;

/**
 * One queue a Cluster Serving job reads, driven by {@code cluster bench}: puts a burst of requests on
 * it and waits until the job has written every result.
 */
interface QueueLoad extends AutoCloseable {

    /** Where the load goes, for the report's header. */
    String describe();

    /**
     * Enqueues {@code records} requests with uris {@code prefix + i} and the same body, then waits until
     * all their results are written (or {@code timeout} passes: DEADLINE_EXCEEDED naming how many are
     * missing).
     */
    RunResult run(String prefix, int records, String body, Duration timeout) throws InterruptedException;

    @Override
    void close();
}
