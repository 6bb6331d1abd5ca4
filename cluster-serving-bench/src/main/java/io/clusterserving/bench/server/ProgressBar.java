package io.clusterserving.bench.server;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress display on stderr for a run: level, run, elapsed time and requests so far.
 * Only drawn when a person watches (a console is attached), so piped output stays clean.
 */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final ScheduledExecutorService ticker;
    private final long startNanos = System.nanoTime();
    private final long totalNanos;
    private final String label;
    private final AtomicLong completed;

    private ProgressBar(PrintStream err, String label, long totalNanos, AtomicLong completed) {
        this.err = err;
        this.label = label;
        this.totalNanos = totalNanos;
        this.completed = completed;
        if (err == null) {
            this.ticker = null;
            return;
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** A drawing progress bar when a console is attached, else one that draws nothing. */
    static ProgressBar start(String label, long totalNanos, AtomicLong completed) {
        return new ProgressBar(System.console() == null ? null : System.err, label, totalNanos, completed);
    }

    private void draw() {
        double fraction = Math.min(1.0, (System.nanoTime() - startNanos) / (double) totalNanos);
        int filled = (int) Math.round(fraction * WIDTH);
        err.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + Math.round(fraction * 100) + "%  " + completed.get() + " ok ");
        err.flush();
    }

    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        err.print("\r" + " ".repeat(label.length() + WIDTH + 30) + "\r");
        err.flush();
    }
}
