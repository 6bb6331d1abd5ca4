package io.clusterserving.core.manager;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.tensor.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The manager under real threads: request threads hammering {@code acquire} and {@code predict} while
 * versions load, fail, unload and churn, with a {@link BlockingFormat} holding loads and predictions at
 * gates to force the interleavings. Each case runs over several loader-pool and request-thread counts,
 * as TF Serving's basic_manager_test runs over thread-pool sizes. Nothing here asserts a duration: waits
 * are for conditions, with a generous timeout.
 */
class ModelManagerConcurrencyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final float X = 2f;

    @TempDir
    Path dir;
    private final BlockingFormat format = new BlockingFormat();
    private ModelManager manager;
    private Requests requests;

    static Stream<Arguments> threadCounts() {
        return Stream.of(arguments(1, 1), arguments(2, 4), arguments(4, 8));
    }

    @AfterEach
    void tearDown() {
        format.loadGates.values().forEach(CountDownLatch::countDown);
        CountDownLatch gate = format.predictGate;
        if (gate != null) {
            gate.countDown();
        }
        if (requests != null) {
            requests.stop();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private ModelConfig start(int loaderThreads, int maxLoadRetries, long... versions) {
        manager = new ModelManager(new FormatRegistry(List.of(format)),
                new ManagerSettings(maxLoadRetries, 0, 0, 0, null, loaderThreads), new SimpleMeterRegistry());
        Path base = dir.resolve("m");
        for (long v : versions) {
            BlockingFormat.writeVersion(base, v);
        }
        return ModelConfig.of("m", base);
    }

    private void aspire(ModelConfig config, Long... versions) {
        manager.setAspiredVersions(config, ModelSettings.none(), new TreeSet<>(List.of(versions)));
    }

    private VersionState state(long version) {
        return manager.versionStatus("m", version).map(ModelVersionStatus::state).orElse(VersionState.UNKNOWN);
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        assertThat(manager.awaitCondition(condition, WAIT)).as("waited for " + what).isTrue();
    }

    /** Takes the next load that reached the format, waiting for it. */
    private long nextLoadStarted() throws InterruptedException {
        Long v = format.loadsStarted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(v).as("a load started").isNotNull();
        return v;
    }

    @ParameterizedTest(name = "{0} loader threads, {1} request threads")
    @MethodSource("threadCounts")
    void loadsRaceRequests(int loaderThreads, int requestThreads) throws Exception {
        ModelConfig config = start(loaderThreads, 0, 1, 2, 3);
        CountDownLatch gate1 = new CountDownLatch(1);
        format.loadGates.put(1L, gate1);
        aspire(config, 1L);
        requests = new Requests(requestThreads);
        assertThat(nextLoadStarted()).isEqualTo(1);
        // While the only version loads, requests are told UNAVAILABLE, not NOT_FOUND.
        await(() -> requests.unavailable.get(0) > 0, "a request to find the version loading");
        gate1.countDown();
        await(() -> state(1) == VersionState.AVAILABLE, "version 1");
        requests.mustServe = true;

        // Two newer versions load together while requests run; the newest wins, the others unload.
        CountDownLatch gates = new CountDownLatch(1);
        format.loadGates.put(2L, gates);
        format.loadGates.put(3L, gates);
        aspire(config, 2L, 3L);
        requests.awaitEveryThreadServes(this::await);
        gates.countDown();
        await(() -> state(3) == VersionState.AVAILABLE && state(2) == VersionState.AVAILABLE
                && state(1) == VersionState.END, "versions 2 and 3 to replace 1");
        requests.awaitEveryThreadServes(this::await);
        requests.stop();

        requests.assertNoProblems();
        assertThat(format.violations).isEmpty();
        assertThat(requests.versionsSeen).contains(1L, 3L).isSubsetOf(1L, 2L, 3L);
        await(() -> format.open.get() == 2, "version 1 closed");
        assertThat(format.closes).hasValue(1);
    }

    @ParameterizedTest(name = "{0} loader threads, {1} request threads")
    @MethodSource("threadCounts")
    void anUnloadWaitsForTheRequestsOnTheOldVersion(int loaderThreads, int requestThreads) throws Exception {
        ModelConfig config = start(loaderThreads, 0, 1, 2);
        aspire(config, 1L);
        await(() -> state(1) == VersionState.AVAILABLE, "version 1");

        CountDownLatch predicting = new CountDownLatch(1);
        format.predictGate = predicting;
        List<Thread> held = new ArrayList<>();
        Queue<Long> answers = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < requestThreads; i++) {
            Thread t = new Thread(() -> {
                try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
                    answers.add((long) (predict(h) / X));
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "held-request-" + i);
            t.start();
            held.add(t);
        }
        for (int i = 0; i < requestThreads; i++) {
            assertThat(format.predictsHeld.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1L);
        }
        format.predictGate = null; // later requests run straight through

        aspire(config, 2L);
        await(() -> state(2) == VersionState.AVAILABLE, "version 2");
        // Version 1 is closing but stays open for the requests inside it; new requests get version 2.
        assertThat(state(1)).isEqualTo(VersionState.UNLOADING);
        assertThat(format.closes).hasValue(0);
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(2);
            assertThat(predict(h)).isEqualTo(2 * X);
        }
        assertThatThrownBy(() -> manager.acquire(ModelSpec.version("m", 1)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));

        predicting.countDown();
        for (Thread t : held) {
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(answers).hasSize(requestThreads).containsOnly(1L); // each finished on the version it began on
        await(() -> state(1) == VersionState.END, "version 1 to unload");
        assertThat(format.closes).hasValue(1);
        assertThat(format.violations).isEmpty();
    }

    @ParameterizedTest(name = "{0} loader threads, {1} request threads")
    @MethodSource("threadCounts")
    void rapidVersionChurnNeverLeavesRequestsWithoutAVersion(int loaderThreads, int requestThreads)
            throws Exception {
        long last = 20;
        long[] all = new long[(int) last];
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
        }
        ModelConfig config = start(loaderThreads, 0, all);
        aspire(config, 1L);
        await(() -> state(1) == VersionState.AVAILABLE, "version 1");
        requests = new Requests(requestThreads);
        requests.mustServe = true;
        requests.awaitEveryThreadServes(this::await);

        CountDownLatch lastGate = new CountDownLatch(1);
        format.loadGates.put(last, lastGate);
        for (long v = 2; v <= last; v++) {
            aspire(config, v); // each replaces the last, often before it finished loading
        }
        requests.awaitEveryThreadServes(this::await); // while the last version is held loading
        lastGate.countDown();
        await(() -> state(last) == VersionState.AVAILABLE, "the last version");
        await(() -> format.open.get() == 1, "every other version closed");
        requests.awaitEveryThreadServes(this::await);
        requests.stop();

        requests.assertNoProblems();
        assertThat(format.violations).isEmpty();
        assertThat(requests.versionsSeen).contains(1L, last);
        for (long v = 1; v < last; v++) {
            assertThat(state(v)).as("version " + v).isIn(VersionState.END, VersionState.UNKNOWN);
        }
        int loaded = format.loads.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(format.closes).as("every load but the serving one closed exactly once").hasValue(loaded - 1);
    }

    @ParameterizedTest(name = "{0} loader threads, {1} request threads")
    @MethodSource("threadCounts")
    void aFailingLoadBesideTheServingVersionLeavesItServing(int loaderThreads, int requestThreads)
            throws Exception {
        ModelConfig config = start(loaderThreads, 2, 1, 2);
        aspire(config, 1L);
        await(() -> state(1) == VersionState.AVAILABLE, "version 1");
        requests = new Requests(requestThreads);
        requests.mustServe = true;

        format.broken.add(2L);
        aspire(config, 2L);
        await(() -> state(2) == VersionState.END, "version 2 to fail for good");
        requests.awaitEveryThreadServes(this::await);
        requests.stop();

        ModelVersionStatus failed = manager.versionStatus("m", 2).orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(failed.errorMessage()).contains("version 2 is broken").contains("after 3 attempts");
        assertThat(format.loadsOf(2)).isEqualTo(3);
        assertThat(state(1)).isEqualTo(VersionState.AVAILABLE);
        requests.assertNoProblems();
        assertThat(requests.versionsSeen).containsExactly(1L);
        assertThat(format.violations).isEmpty();
    }

    private static float predict(ServableHandle h) {
        return h.model().predict(Signature.DEFAULT_NAME, Map.of("x", Tensor.ofFloats(new long[] {1}, X)), Set.of())
                .get("y").getFloat(0);
    }

    /** A waiting step that may fail the test. */
    private interface Awaiter {
        void await(BooleanSupplier condition, String what) throws InterruptedException;
    }

    /** Request threads asking for the latest version in a loop, recording what they saw. */
    private final class Requests {
        /** Set once some aspired version is AVAILABLE: from then on every request must be served. */
        volatile boolean mustServe;
        private volatile boolean running = true;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLongArray served;
        final AtomicLongArray unavailable = new AtomicLongArray(1);
        final Set<Long> versionsSeen = ConcurrentHashMap.newKeySet();
        /** The first problems seen (a broken manager would otherwise fill the heap with them) and their count. */
        private final Queue<String> problems = new ConcurrentLinkedQueue<>();
        private final AtomicLong problemCount = new AtomicLong();

        Requests(int count) {
            served = new AtomicLongArray(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                Thread t = new Thread(() -> loop(index), "request-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void loop(int index) {
            long lastVersion = 0;
            while (running) {
                boolean mustServeNow = mustServe;
                try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
                    long v = h.version();
                    float y = predict(h);
                    if (y != v * X) {
                        problem("version " + v + " answered " + y);
                    }
                    if (v < lastVersion) {
                        problem("went back from version " + lastVersion + " to " + v);
                    }
                    lastVersion = v;
                    versionsSeen.add(v);
                    served.incrementAndGet(index);
                } catch (ServingException e) {
                    if (mustServeNow) {
                        problem("no version while one was serving: " + e.getMessage());
                    } else if (e.code() == StatusCode.UNAVAILABLE) {
                        unavailable.incrementAndGet(0);
                    } else {
                        problem("unexpected " + e.code() + ": " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problem(e.toString());
                }
            }
        }

        private void problem(String what) {
            if (problemCount.incrementAndGet() <= 10) {
                problems.add(what);
            }
        }

        /** Waits until every thread has been served again since the call. */
        void awaitEveryThreadServes(Awaiter awaiter) throws InterruptedException {
            long[] before = new long[served.length()];
            for (int i = 0; i < before.length; i++) {
                before[i] = served.get(i);
            }
            awaiter.await(() -> {
                for (int i = 0; i < before.length; i++) {
                    if (served.get(i) <= before[i]) {
                        return false;
                    }
                }
                return true;
            }, "every request thread to be served");
        }

        void stop() {
            running = false;
            for (Thread t : threads) {
                try {
                    t.join(WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void assertNoProblems() {
            assertThat(problems).as(problemCount.get() + " problems, the first ones").isEmpty();
            for (Thread t : threads) {
                assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
            }
        }
    }
}
