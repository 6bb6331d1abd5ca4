package io.clusterserving.client;

import java.time.Duration;

/**
 * How a {@link ServingClient} calls the server.
 *
 * @param timeout         per-call deadline (gRPC deadline, HTTP request timeout)
 * @param maxMessageBytes largest response accepted
 */
public record ClientSettings(Duration timeout, int maxMessageBytes) {
    public ClientSettings {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be > 0, got " + maxMessageBytes);
        }
    }

    /** 30 s per call (TF Serving's REST default), 256 MiB messages (the server's default limit). */
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(30), 256 * 1024 * 1024);
    }

    public ClientSettings withTimeout(Duration t) {
        return new ClientSettings(t, maxMessageBytes);
    }
}
