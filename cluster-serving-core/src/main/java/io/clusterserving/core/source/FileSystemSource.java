package io.clusterserving.core.source;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.config.VersionPolicy;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.manager.ModelManager;
import io.clusterserving.core.repository.VersionDirectories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TF Serving's file-system storage path source: for every model, lists the version directories under its
 * base path and reads its model.yaml (parsed again only when it changed), picks versions with the model's policy (the config's, else
 * model.yaml's, else latest 1) and hands them to the {@link ModelManager} as aspired versions.
 *
 * <p>Polls every {@code pollInterval} on a daemon thread; a zero interval scans once, at {@link #start()}.
 * A failing model (missing base path, broken model.yaml) keeps its current versions, shows the error in
 * its status and is polled again next time; no error stops the poller.
 */
public final class FileSystemSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileSystemSource.class);

    private final ModelManager manager;
    private final Duration pollInterval;
    private final ScheduledExecutorService poller;
    /** The last problem logged per model; touched only by the poller thread (and the first poll). */
    private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
    private final ModelYamlCache modelYaml = new ModelYamlCache();
    private volatile List<ModelConfig> models;

    public FileSystemSource(ModelManager manager, List<ModelConfig> models, Duration pollInterval) {
        this.manager = manager;
        this.models = checkUnique(models);
        this.pollInterval = pollInterval.isNegative() ? Duration.ZERO : pollInterval;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-fs-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Scans every model once on the calling thread (so the models are known on return), then keeps polling. */
    public void start() {
        pollNow();
        if (!pollInterval.isZero()) {
            long nanos = pollInterval.toNanos();
            poller.scheduleWithFixedDelay(this::pollSafely, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The models this source serves now. */
    public List<ModelConfig> models() {
        return models;
    }

    /**
     * Replaces the served model set: models no longer listed are removed from the manager (their
     * versions unload after in-flight requests), new and changed ones are scanned at once.
     */
    public synchronized void replaceModels(List<ModelConfig> next) {
        List<ModelConfig> checked = checkUnique(next);
        Set<String> keep = new HashSet<>();
        checked.forEach(c -> keep.add(c.name()));
        for (ModelConfig old : models) {
            if (!keep.contains(old.name())) {
                log.info("model '{}' is no longer configured; unloading it", old.name());
                manager.removeModel(old.name());
            }
        }
        models = checked;
        modelYaml.retainOnly(checked.stream().map(ModelConfig::basePath).toList());
        pollNow();
    }

    /** Scans every model now, on the calling thread. */
    public synchronized void pollNow() {
        for (ModelConfig config : models) {
            poll(config);
        }
    }

    /**
     * Logs a model's problem when it first appears or changes, and once when it clears: a poll every
     * second must not repeat the same warning every second.
     */
    private void warnOnChange(String model, String problem) {
        String previous = problem == null ? lastProblem.remove(model) : lastProblem.put(model, problem);
        if (problem != null && !problem.equals(previous)) {
            log.warn("{}", problem);
        } else if (problem == null && previous != null) {
            log.info("model '{}': the problem reported before is gone", model);
        }
    }

    private void pollSafely() {
        try {
            pollNow();
        } catch (Throwable t) {
            log.error("file system poll failed", t); // keep polling
        }
    }

    private void poll(ModelConfig config) {
        try {
            ModelSettings options = modelYaml.read(config.basePath());
            SortedSet<Long> present = VersionDirectories.scan(config.basePath());
            VersionPolicy policy = config.policy() != null ? config.policy()
                    : options.policy() != null ? options.policy() : VersionPolicy.defaultPolicy();
            SortedSet<Long> aspired = policy.select(present);
            String problem = present.isEmpty()
                    ? "no versions of model '" + config.name() + "' found under base path " + config.basePath()
                    : null;
            warnOnChange(config.name(), problem);
            manager.setAspiredVersions(config, options, aspired);
        } catch (Exception e) {
            ServingException error = ServingException.from(e);
            warnOnChange(config.name(), "model '" + config.name() + "': " + error.getMessage());
            manager.reportSourceError(config, error);
        }
    }

    private static List<ModelConfig> checkUnique(List<ModelConfig> models) {
        Set<String> names = new HashSet<>();
        for (ModelConfig c : models) {
            if (!names.add(c.name())) {
                throw ServingException.invalidArgument("model '%s' is configured twice", c.name());
            }
        }
        return List.copyOf(models);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
