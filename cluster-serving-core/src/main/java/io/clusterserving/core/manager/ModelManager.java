package io.clusterserving.core.manager;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.core.stats.VersionMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Loads, serves and unloads model versions the way TF Serving's AspiredVersionsManager does.
 *
 * <p>Sources call {@link #setAspiredVersions} with the versions that should be served. Each version is a
 * {@link VersionHarness} that owns its state and refuses illegal moves (START → LOADING → AVAILABLE →
 * UNLOADING → END, failures and cancels ending in END); loads run on a small loader pool, never on the
 * caller's thread. What to load, cancel and unload is decided by the {@link AvailabilityPolicy} after
 * every change: a version that is no longer aspired is unloaded only once some aspired version is
 * AVAILABLE (or nothing is aspired any more), so a failed or slow new version never takes down the one
 * serving. Requests hold counted {@link ServableHandle}s; an UNLOADING version is closed only after its
 * last handle is released. Each load attempt lists its version directory once ({@link VersionListing})
 * and is run by a {@link VersionLoader}, which hands the files found to the chosen format.
 *
 * <p>Lock rule: a model's versions, aspired set and options are guarded by its {@link ServableStream}'s
 * monitor (the harnesses check it); formats load, and models close, with no lock held.
 *
 * <p>Failed loads are retried {@code maxLoadRetries} times, {@code loadRetryIntervalMicros} apart, with
 * the error visible in status from the first failure on (state LOADING while retries remain, END after
 * the last). A version that failed for good stays END and is not retried on later polls — unless its
 * directory changes (see {@link VersionListing#fingerprint}): replacing it or adding, removing or rewriting a
 * file starts a fresh round of attempts. Re-aspiring a version that was unloaded normally loads it again.
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);
    /** END versions kept for status per model (beyond those still aspired). */
    private static final int KEPT_ENDED_VERSIONS = 8;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final FormatRegistry formats;
    private final ManagerSettings settings;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ServableStream> models = new ConcurrentHashMap<>();
    /** Removed models whose versions are still unloading. */
    private final Set<ServableStream> retiring = ConcurrentHashMap.newKeySet();
    private final AvailabilityPolicy policy = new AvailabilityPolicy();
    private final VersionLoader versionLoader;
    private final ScheduledThreadPoolExecutor loader;
    private final ExecutorService unloader;
    private final List<Gauge> gauges = new ArrayList<>();
    private final Object changes = new Object();
    private long changeCount; // guarded by changes
    private volatile boolean closed;

    public ModelManager(FormatRegistry formats, ManagerSettings settings, MeterRegistry registry) {
        this.formats = formats;
        this.settings = settings;
        this.registry = registry;
        this.versionLoader = new VersionLoader(formats, settings, registry);
        this.loader = new ScheduledThreadPoolExecutor(settings.loaderThreads(), daemonThreads("model-loader"));
        this.loader.setRemoveOnCancelPolicy(true);
        this.unloader = Executors.newSingleThreadExecutor(daemonThreads("model-unloader"));
        for (VersionState state : VersionState.values()) {
            if (state != VersionState.UNKNOWN) {
                gauges.add(Gauge.builder(VersionMetrics.MODEL_VERSIONS, this, m -> m.countVersions(state))
                        .description("Model versions by state").tag("state", state.name()).register(registry));
            }
        }
    }

    public ManagerSettings settings() {
        return settings;
    }

    public FormatRegistry formats() {
        return formats;
    }

    // ---------------------------------------------------------------- driven by sources

    /**
     * Makes {@code versions} the versions of {@code config.name()} that should be served, registering the
     * model if it is new; {@code options} (model.yaml) apply to versions loaded from now on. Returns at
     * once; loading and unloading happen on the manager's threads.
     */
    public void setAspiredVersions(ModelConfig config, ModelSettings options, SortedSet<Long> versions) {
        if (closed) {
            return;
        }
        List<Runnable> after = new ArrayList<>();
        for (;;) {
            ServableStream m = models.computeIfAbsent(config.name(), n -> new ServableStream(n, config, options));
            synchronized (m) {
                if (m.removed) {
                    continue; // lost a race with removeModel; register afresh
                }
                m.config = config;
                m.options = options;
                m.sourceError = null;
                m.aspired = new TreeSet<>(versions);
                reconcile(m, after);
                break;
            }
        }
        after.forEach(Runnable::run);
        signalChange();
    }

    /**
     * Records that a model's source failed (e.g. its base path is missing), registering the model if it
     * is new. Its versions keep their state; the error shows in status while the model has no versions.
     */
    public void reportSourceError(ModelConfig config, ServingException error) {
        if (closed) {
            return;
        }
        for (;;) {
            ServableStream m = models.computeIfAbsent(config.name(), n -> new ServableStream(n, config, ModelSettings.none()));
            synchronized (m) {
                if (m.removed) {
                    continue;
                }
                if (m.sourceError == null || !m.sourceError.getMessage().equals(error.getMessage())) {
                    m.sourceErrorSince = Instant.now();
                }
                m.sourceError = error;
                break;
            }
        }
        signalChange();
    }

    /** Stops serving a model: new requests get NOT_FOUND, its versions unload once their requests finish. */
    public void removeModel(String name) {
        ServableStream m = models.remove(name);
        if (m == null) {
            return;
        }
        List<Runnable> after = new ArrayList<>();
        synchronized (m) {
            m.removed = true;
            m.aspired = new TreeSet<>();
            retiring.add(m);
            reconcile(m, after);
        }
        after.forEach(Runnable::run);
        signalChange();
    }

    /** Names of the models being served, sorted. */
    public List<String> models() {
        return new ArrayList<>(new TreeSet<>(models.keySet()));
    }

    // ---------------------------------------------------------------- request path

    /**
     * A handle on the version a request should run on: the highest AVAILABLE version, the version named,
     * or the version a label points to.
     *
     * @throws ServingException NOT_FOUND for unknown models, versions and labels; UNAVAILABLE while the
     *                          version (or, without one named, any version) is still loading
     */
    public ServableHandle acquire(ModelSpec spec) {
        ServableStream m = models.get(spec.name());
        if (m == null) {
            throw modelNotFound(spec.name());
        }
        for (;;) {
            VersionHarness v;
            if (spec.version() != null) {
                NavigableMap<Long, VersionHarness> available = m.available;
                v = available.get(spec.version());
                if (v == null) {
                    throw versionNotAvailable(m, spec.version(), null);
                }
            } else if (spec.label() != null) {
                Long labelled = m.config.versionLabels().get(spec.label());
                if (labelled == null) {
                    throw labelNotFound(m, spec.label());
                }
                v = m.available.get(labelled);
                if (v == null) {
                    throw versionNotAvailable(m, labelled, spec.label());
                }
            } else {
                v = m.latest;
                if (v == null) {
                    throw nothingAvailable(m);
                }
            }
            if (v.tryAcquire()) {
                return new ServableHandle(v);
            }
            // It began unloading after we read the snapshot; the snapshot was replaced before that.
        }
    }

    // ---------------------------------------------------------------- status and stats

    /** Every known version of a model, ascending (a version-0 UNKNOWN entry carries a source error). */
    public List<ModelVersionStatus> status(String name) {
        ServableStream m = knownModel(name);
        synchronized (m) {
            List<ModelVersionStatus> out = new ArrayList<>();
            for (VersionHarness v : m.versions.values()) {
                out.add(v.status());
            }
            if (out.isEmpty() && m.sourceError != null) {
                out.add(new ModelVersionStatus(m.name, 0, VersionState.UNKNOWN, m.sourceError.code(),
                        m.sourceError.getMessage(), null, m.sourceErrorSince));
            }
            return out;
        }
    }

    /** Status as {@code GetModelStatus} answers it: all versions, or the one a version or label names. */
    public List<ModelVersionStatus> status(ModelSpec spec) {
        if (spec.version() == null && spec.label() == null) {
            return status(spec.name());
        }
        ServableStream m = knownModel(spec.name());
        synchronized (m) {
            long version;
            if (spec.label() != null) {
                Long labelled = m.config.versionLabels().get(spec.label());
                if (labelled == null) {
                    throw labelNotFound(m, spec.label());
                }
                version = labelled;
            } else {
                version = spec.version();
            }
            VersionHarness v = m.versions.get(version);
            if (v == null) {
                throw ServingException.notFound("model '%s' has no version %d; versions: %s", m.name, version,
                        m.versions.keySet());
            }
            return List.of(v.status());
        }
    }

    /** The status of one version, if the manager knows it. */
    public Optional<ModelVersionStatus> versionStatus(String name, long version) {
        ServableStream m = models.get(name);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            VersionHarness v = m.versions.get(version);
            return v == null ? Optional.empty() : Optional.of(v.status());
        }
    }

    /** Serving statistics of every version of the model that has served (became AVAILABLE). */
    public List<ServingStats> stats(String name) {
        ServableStream m = knownModel(name);
        synchronized (m) {
            List<ServingStats> out = new ArrayList<>();
            for (VersionHarness v : m.versions.values()) {
                ServingStats stats = v.stats();
                if (stats != null) {
                    out.add(stats);
                }
            }
            return out;
        }
    }

    /** True when every model has at least one AVAILABLE version. */
    public boolean isReady() {
        for (ServableStream m : models.values()) {
            if (m.available.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code condition} holds, re-checking whenever a version changes state (and at least every
     * 100 ms for conditions about other things). Returns whether it held in time.
     */
    public boolean awaitCondition(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            long seen;
            synchronized (changes) {
                seen = changeCount;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (changes) {
                if (changeCount == seen) {
                    TimeUnit.NANOSECONDS.timedWait(changes, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }
    }

    /** Unloads everything (waiting for in-flight requests, at most a minute) and stops the manager's threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String name : new ArrayList<>(models.keySet())) {
            removeModel(name);
        }
        try {
            if (!awaitCondition(retiring::isEmpty, CLOSE_TIMEOUT)) {
                log.warn("model versions still in use after {}; closing anyway", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loader.shutdownNow();
        unloader.shutdown();
        gauges.forEach(registry::remove);
        try {
            unloader.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- state machine

    /**
     * Asks the policy what to do with the model's versions and does it; loads and finished unloads are
     * queued on {@code after}, to run once the monitor is released. Call with the model's monitor held.
     */
    private void reconcile(ServableStream m, List<Runnable> after) {
        Map<Long, AvailabilityPolicy.VersionView> views = new TreeMap<>();
        for (VersionHarness v : m.versions.values()) {
            VersionState state = v.state();
            boolean mayLoadAgain = state == VersionState.END && m.aspired.contains(v.version) && v.mayLoadAgain();
            views.put(v.version, new AvailabilityPolicy.VersionView(state, v.loadInProgress(), mayLoadAgain));
        }
        for (AvailabilityPolicy.Action action : policy.actions(m.aspired, views)) {
            long version = action.version();
            switch (action.kind()) {
                case LOAD -> {
                    VersionHarness fresh = new VersionHarness(m, version,
                            m.config.basePath().resolve(Long.toString(version)), this::onDrained);
                    m.versions.put(version, fresh);
                    after.add(() -> submitLoad(m, fresh, 0));
                }
                case CANCEL -> m.versions.get(version).cancel();
                case UNLOAD -> beginUnload(m, m.versions.get(version), after);
            }
        }
        afterStateChange(m);
    }

    /** Housekeeping after versions may have reached END; call with the model's monitor held. */
    private void afterStateChange(ServableStream m) {
        pruneEnded(m);
        if (m.removed && m.allEnded()) {
            retiring.remove(m);
        }
    }

    private void beginUnload(ServableStream m, VersionHarness v, List<Runnable> after) {
        int open = v.beginUnload();
        m.publishAvailable(); // a request that finds v closing re-reads a snapshot without it
        if (open == 0) {
            after.add(() -> onDrained(v));
        }
        log.info("unloading {}", v.describe());
    }

    private void onDrained(VersionHarness v) {
        try {
            unloader.execute(() -> finishUnload(v));
        } catch (RejectedExecutionException e) {
            finishUnload(v);
        }
    }

    private void finishUnload(VersionHarness v) {
        ServableStream m = v.model;
        LoadedVersion loaded;
        synchronized (m) {
            loaded = v.takeForUnload();
        }
        loaded.closeQuietly(v.describe());
        List<Runnable> after = new ArrayList<>();
        synchronized (m) {
            v.unloaded();
            // Aspired again while it was unloading: the policy loads it afresh.
            reconcile(m, after);
        }
        log.info("unloaded {}", v.describe());
        after.forEach(Runnable::run);
        signalChange();
    }

    private void submitLoad(ServableStream m, VersionHarness v, long delayMicros) {
        // The scheduled pool keeps a task's exception in a future nobody reads: say it here.
        Runnable task = () -> {
            try {
                load(m, v);
            } catch (RuntimeException | Error e) {
                log.error("the manager failed while loading {}", v.describe(), e);
            }
        };
        try {
            if (delayMicros <= 0) {
                loader.execute(task);
            } else {
                loader.schedule(task, delayMicros, TimeUnit.MICROSECONDS);
            }
        } catch (RejectedExecutionException e) {
            synchronized (m) {
                if (v.state() != VersionState.END) {
                    v.cancel(); // manager closed
                }
                afterStateChange(m);
            }
        }
    }

    private void load(ServableStream m, VersionHarness v) {
        ModelConfig config;
        ModelSettings options;
        synchronized (m) {
            if (v.state() == VersionState.END) {
                return; // cancelled while queued
            }
            v.beginAttempt();
            config = m.config;
            options = m.options;
        }
        signalChange();
        long start = System.nanoTime();
        long fingerprint = -1;
        try {
            VersionListing listing = VersionListing.of(v.dir);
            fingerprint = listing.fingerprint();
            LoadedVersion result = versionLoader.load(v, listing, config, options, format -> {
                synchronized (m) {
                    v.formatChosen(format);
                }
            });
            VersionMetrics.recordLoad(registry, m.name, v.version, StatusCode.OK, System.nanoTime() - start);
            onLoaded(m, v, result);
        } catch (Throwable t) {
            ServingException error = ServingException.from(t);
            VersionMetrics.recordLoad(registry, m.name, v.version, error.code(), System.nanoTime() - start);
            onLoadFailed(m, v, error, fingerprint);
        }
    }

    private void onLoaded(ServableStream m, VersionHarness v, LoadedVersion result) {
        List<Runnable> after = new ArrayList<>();
        boolean wanted;
        synchronized (m) {
            wanted = wants(m, v);
            if (wanted) {
                v.loadSucceeded(result);
                m.publishAvailable();
            } else {
                v.discardLoaded();
            }
            reconcile(m, after);
        }
        if (wanted) {
            log.info("{} is available ({})", v.describe(), result.format());
        } else {
            result.closeQuietly(v.describe());
            log.info("{} loaded but is no longer wanted; closed it", v.describe());
        }
        after.forEach(Runnable::run);
        signalChange();
    }

    private void onLoadFailed(ServableStream m, VersionHarness v, ServingException error, long fingerprint) {
        List<Runnable> after = new ArrayList<>();
        String message;
        synchronized (m) {
            boolean retry = v.attemptFailed(error, wants(m, v), settings.maxLoadRetries() + 1,
                    settings.loadRetryIntervalMicros(), fingerprint);
            if (retry) {
                after.add(() -> submitLoad(m, v, settings.loadRetryIntervalMicros()));
            }
            message = v.lastError();
            reconcile(m, after);
        }
        log.warn("{}: {}", v.describe(), message);
        after.forEach(Runnable::run);
        signalChange();
    }

    /** Whether the version is still the one to serve; call with the model's monitor held. */
    private boolean wants(ServableStream m, VersionHarness v) {
        return !closed && !m.removed && m.aspired.contains(v.version) && m.versions.get(v.version) == v;
    }

    /** Drops the oldest END versions that are no longer aspired beyond {@link #KEPT_ENDED_VERSIONS}. */
    private static void pruneEnded(ServableStream m) {
        int ended = 0;
        for (VersionHarness v : m.versions.values()) {
            if (v.state() == VersionState.END && !m.aspired.contains(v.version)) {
                ended++;
            }
        }
        Iterator<VersionHarness> it = m.versions.values().iterator();
        while (ended > KEPT_ENDED_VERSIONS && it.hasNext()) {
            VersionHarness v = it.next();
            if (v.state() == VersionState.END && !m.aspired.contains(v.version)) {
                it.remove();
                ended--;
            }
        }
    }

    // ---------------------------------------------------------------- errors and helpers

    private ServableStream knownModel(String name) {
        ServableStream m = models.get(name);
        if (m == null) {
            throw modelNotFound(name);
        }
        return m;
    }

    private ServingException modelNotFound(String name) {
        return ServingException.notFound("model '%s' not found; served models: %s", name, models());
    }

    private static ServingException labelNotFound(ServableStream m, String label) {
        return ServingException.notFound("model '%s' has no version label '%s'; labels: %s", m.name, label,
                new TreeSet<>(m.config.versionLabels().keySet()));
    }

    private static ServingException versionNotAvailable(ServableStream m, long version, String label) {
        String via = label == null ? "" : " (label '" + label + "')";
        synchronized (m) {
            VersionHarness v = m.versions.get(version);
            VersionState state = v == null ? VersionState.UNKNOWN : v.state();
            if (state == VersionState.START || state == VersionState.LOADING) {
                String error = v.lastError().isEmpty() ? "" : "; last load error: " + v.lastError();
                return ServingException.unavailable("model '%s' version %d%s is not available yet (%s)%s", m.name,
                        version, via, state, error);
            }
            return ServingException.notFound("model '%s' has no version %d%s; available versions: %s", m.name,
                    version, via, m.available.keySet());
        }
    }

    private static ServingException nothingAvailable(ServableStream m) {
        synchronized (m) {
            if (m.versions.isEmpty() && m.sourceError != null) {
                return ServingException.unavailable("model '%s' has no available version: %s", m.name,
                        m.sourceError.getMessage());
            }
            List<String> states = new ArrayList<>();
            for (VersionHarness v : m.versions.values()) {
                states.add(v.summary());
            }
            return ServingException.unavailable("model '%s' has no available version yet; versions: %s", m.name,
                    states);
        }
    }

    private double countVersions(VersionState state) {
        int n = 0;
        List<ServableStream> all = new ArrayList<>(models.values());
        all.addAll(retiring);
        for (ServableStream m : all) {
            synchronized (m) {
                for (VersionHarness v : m.versions.values()) {
                    if (v.state() == state) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private void signalChange() {
        synchronized (changes) {
            changeCount++;
            changes.notifyAll();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
