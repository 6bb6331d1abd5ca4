package io.clusterserving.bench.server;

/**
 * How the closed loop reaches the server, one implementation per wire protocol (HTTP through Vert.x,
 * gRPC through the Java client). Closing it releases its connections and threads.
 */
public interface LoadTransport extends AutoCloseable {

    /** Opens what one run of {@code users} concurrent users needs; the run closes it when it ends. */
    Session open(int users);

    @Override
    void close();

    /** One run's connections. */
    interface Session extends AutoCloseable {
        /**
         * Sends user {@code user}'s next request (users are numbered 0..users-1) and reports its end to
         * {@code outcome} exactly once, never on the calling thread's stack (so a loop of failures cannot
         * overflow it).
         */
        void send(int user, Outcome outcome);

        /** Runs {@code action} after {@code millis}: the pause after a failure that got no answer. */
        void later(long millis, Runnable action);

        @Override
        void close();
    }

    /** How one request ended. */
    interface Outcome {
        void succeeded();

        /**
         * @param description what the request got, for the report
         * @param unanswered  true when no answer came at all (refused, reset, unreachable): the user pauses
         *                    before the next request so a dead server is not hammered in a tight loop
         */
        void failed(String description, boolean unanswered);
    }
}
