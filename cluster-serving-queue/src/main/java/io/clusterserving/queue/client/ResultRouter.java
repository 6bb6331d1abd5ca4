package io.clusterserving.queue.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.QueueResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands each incoming result to the {@code predict} call waiting for its uri, or else keeps it for
 * {@code dequeue}; optionally remembers recent results by uri for {@code query}. Shared by the Redis and
 * Kafka clients; one reader thread delivers, any thread waits.
 */
final class ResultRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultRouter.class);

    private final Map<String, CompletableFuture<QueueResult>> waiting = new ConcurrentHashMap<>();
    private final int capacity;
    private final boolean rememberRecent;
    private final Object lock = new Object();
    private final ArrayDeque<QueueResult> unclaimed = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<List<QueueResult>>> dequeueWaiters = new ArrayDeque<>();
    private final LinkedHashMap<String, QueueResult> recent;
    private final ScheduledExecutorService timer;
    private long dropped;

    ResultRouter(int capacity, boolean rememberRecent, String threadName) {
        this.capacity = capacity;
        this.rememberRecent = rememberRecent;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, QueueResult> eldest) {
                return size() > ResultRouter.this.capacity;
            }
        };
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers interest in {@code uri} before its request is sent; fails after {@code timeout}. */
    CompletableFuture<QueueResult> expect(String uri, Duration timeout) {
        CompletableFuture<QueueResult> f = new CompletableFuture<>();
        if (waiting.putIfAbsent(uri, f) != null) {
            f.completeExceptionally(ServingException.invalidArgument(
                    "a predict call is already waiting for uri '%s'; uris must be unique", uri));
            return f;
        }
        ScheduledFuture<?> deadline = timer.schedule(() -> f.completeExceptionally(new ServingException(
                StatusCode.DEADLINE_EXCEEDED, "no result for uri '" + uri + "' within " + timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        f.whenComplete((r, e) -> {
            deadline.cancel(false);
            waiting.remove(uri, f);
        });
        return f;
    }

    /** Fails the predict call waiting for {@code uri} (e.g. its request could not be sent). */
    void fail(String uri, Throwable error) {
        CompletableFuture<QueueResult> f = waiting.get(uri);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    void deliver(QueueResult result) {
        CompletableFuture<QueueResult> f = waiting.remove(result.uri());
        boolean claimed = f != null && f.complete(result);
        CompletableFuture<List<QueueResult>> waiter = null;
        List<QueueResult> batch = null;
        synchronized (lock) {
            if (rememberRecent) {
                recent.put(result.uri(), result);
            }
            if (claimed) {
                return;
            }
            if (unclaimed.size() >= capacity) {
                unclaimed.pollFirst();
                if (dropped++ % 1000 == 0) {
                    LOG.warn("result buffer full ({} results): dropping the oldest; call dequeue() more often", capacity);
                }
            }
            unclaimed.addLast(result);
            while (!dequeueWaiters.isEmpty() && waiter == null) {
                CompletableFuture<List<QueueResult>> w = dequeueWaiters.pollFirst();
                if (!w.isDone()) {
                    waiter = w;
                    batch = drainLocked();
                }
            }
        }
        if (waiter != null && !waiter.complete(batch)) {
            // The waiter timed out in between: put the batch back for the next dequeue.
            synchronized (lock) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    unclaimed.addFirst(batch.get(i));
                }
            }
        }
    }

    List<QueueResult> drain() {
        synchronized (lock) {
            return drainLocked();
        }
    }

    CompletableFuture<List<QueueResult>> drain(Duration wait) {
        CompletableFuture<List<QueueResult>> f = new CompletableFuture<>();
        synchronized (lock) {
            if (!unclaimed.isEmpty() || wait.isZero() || wait.isNegative()) {
                f.complete(drainLocked());
                return f;
            }
            dequeueWaiters.addLast(f);
        }
        timer.schedule(() -> f.complete(List.of()), wait.toNanos(), TimeUnit.NANOSECONDS);
        return f;
    }

    QueueResult recent(String uri) {
        synchronized (lock) {
            return recent.get(uri);
        }
    }

    @Override
    public void close() {
        ServingException closed = new ServingException(StatusCode.CANCELLED, "queue client closed");
        waiting.values().forEach(f -> f.completeExceptionally(closed));
        synchronized (lock) {
            dequeueWaiters.forEach(f -> f.complete(List.of()));
            dequeueWaiters.clear();
        }
        timer.shutdownNow();
    }

    private List<QueueResult> drainLocked() {
        List<QueueResult> out = new ArrayList<>(unclaimed);
        unclaimed.clear();
        return out;
    }
}
