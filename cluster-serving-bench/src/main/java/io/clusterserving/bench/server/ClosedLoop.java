package io.clusterserving.bench.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load run: {@code concurrency} users each send a request, wait for the answer, and send
 * the next, for warm-up plus the measured window. Only requests that start and finish inside the
 * window count, so warm-up and the drain at the end do not bend the numbers. The transport decides
 * how a request travels (an HTTP connection per user, or gRPC streams on a shared channel).
 */
public final class ClosedLoop {
    /** Longest a run waits past its window for the last answers. */
    private static final long DRAIN_MILLIS = 65_000;
    /** Pause after a request that got no answer, so a dead server is not hammered in a tight loop. */
    private static final long FAILURE_BACKOFF_MILLIS = 10;

    private final LoadTransport transport;

    public ClosedLoop(LoadTransport transport) {
        this.transport = transport;
    }

    /**
     * Runs each concurrency level {@code runs} times (warm-up plus measured window each) and keeps,
     * per level, the run of median throughput. Shows progress on stderr when a console is attached.
     */
    public List<LevelResult> measure(List<Integer> concurrencyLevels, int runs, Duration warmup, Duration duration)
            throws InterruptedException {
        List<LevelResult> levels = new ArrayList<>();
        for (int users : concurrencyLevels) {
            List<RunResult> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                AtomicLong completed = new AtomicLong();
                String label = "concurrency " + users + " run " + run + "/" + runs;
                ProgressBar progress = ProgressBar.start(label, warmup.toNanos() + duration.toNanos(), completed);
                try {
                    results.add(run(users, warmup, duration, completed));
                } finally {
                    progress.close();
                }
            }
            levels.add(LevelResult.of(results));
        }
        return levels;
    }

    /** Runs one level; {@code completed} counts successful measured requests as they happen (progress). */
    public RunResult run(int concurrency, Duration warmup, Duration duration, AtomicLong completed)
            throws InterruptedException {
        try (LoadTransport.Session session = transport.open(concurrency)) {
            Window window = new Window(System.nanoTime() + warmup.toNanos(), duration.toNanos());
            LatencyHistogram latencies = new LatencyHistogram();
            AtomicLong errors = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            CountDownLatch finished = new CountDownLatch(concurrency);
            Tally tally = new Tally(window, latencies, errors, firstError, completed, finished);
            for (int user = 0; user < concurrency; user++) {
                new User(user, session, tally).next();
            }
            long waitMillis = warmup.toMillis() + duration.toMillis() + DRAIN_MILLIS;
            if (!finished.await(waitMillis, TimeUnit.MILLISECONDS)) {
                firstError.compareAndSet(null, "some requests never finished");
            }
            return new RunResult(concurrency, duration, latencies.count(), errors.get(), firstError.get(), latencies);
        }
    }

    /** The measured window, in System.nanoTime() terms. */
    private record Window(long start, long length) {
        long end() {
            return start + length;
        }

        boolean contains(long from, long to) {
            return from >= start && to <= end();
        }
    }

    /** What every user of a run counts into. */
    private record Tally(Window window, LatencyHistogram latencies, AtomicLong errors,
                         AtomicReference<String> firstError, AtomicLong completed, CountDownLatch finished) {
    }

    /** One simulated user: a chain of requests, each sent when the previous one is answered. */
    private static final class User implements LoadTransport.Outcome {
        private final int id;
        private final LoadTransport.Session session;
        private final Tally tally;
        /** When the request in flight was sent; written before send, read in its completion. */
        private long sent;

        User(int id, LoadTransport.Session session, Tally tally) {
            this.id = id;
            this.session = session;
            this.tally = tally;
        }

        void next() {
            sent = System.nanoTime();
            if (sent >= tally.window().end()) {
                tally.finished().countDown();
                return;
            }
            session.send(id, this);
        }

        @Override
        public void succeeded() {
            long done = System.nanoTime();
            if (tally.window().contains(sent, done)) {
                tally.latencies().record((done - sent) / 1_000);
                tally.completed().incrementAndGet();
            }
            next();
        }

        @Override
        public void failed(String description, boolean unanswered) {
            if (tally.window().contains(sent, System.nanoTime())) {
                tally.errors().incrementAndGet();
            }
            tally.firstError().compareAndSet(null, description);
            if (unanswered) {
                session.later(FAILURE_BACKOFF_MILLIS, this::next);
            } else {
                next();
            }
        }
    }
}
