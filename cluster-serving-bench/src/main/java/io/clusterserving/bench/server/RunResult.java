package io.clusterserving.bench.server;

import java.time.Duration;

/**
 * One measured run at one concurrency.
 *
 * @param requests   successful (2xx) requests that started and finished inside the measured window
 * @param errors     requests in the window that got a non-2xx answer or none at all
 * @param firstError what the first failed request got, null without errors
 * @param latencies  latencies of the successful requests
 */
public record RunResult(int concurrency, Duration measured, long requests, long errors, String firstError,
                        LatencyHistogram latencies) {

    /** Successful requests per second of the measured window. */
    public double throughput() {
        double seconds = measured.toNanos() / 1e9;
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
