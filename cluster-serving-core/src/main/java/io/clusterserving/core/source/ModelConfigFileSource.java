package io.clusterserving.core.source;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelConfigFile;
import io.clusterserving.core.error.ServingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches TF Serving's {@code --model_config_file}: every {@code pollInterval} (TF's
 * {@code --model_config_file_poll_wait_seconds}; zero = read once) it re-reads the file and, when the
 * content changed and parses, hands the new model list on. A file that cannot be read or parsed is
 * logged and the current models stay; so does an empty file (a write in progress, usually) — an explicit
 * {@code model_config_list {}} serves no models.
 */
public final class ModelConfigFileSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelConfigFileSource.class);

    private final Path file;
    private final Duration pollInterval;
    private final Consumer<List<ModelConfig>> onChange;
    private final ScheduledExecutorService poller;
    private String lastText;
    private String rejectedText; // logged once, not on every poll

    public ModelConfigFileSource(Path file, Duration pollInterval, Consumer<List<ModelConfig>> onChange) {
        this.file = file;
        this.pollInterval = pollInterval.isNegative() ? Duration.ZERO : pollInterval;
        this.onChange = onChange;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-config-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the file now (a bad file fails here, as it fails TF Serving's start-up) and returns its models;
     * they are not passed to the change callback.
     */
    public synchronized List<ModelConfig> readInitial() {
        String text = readText();
        List<ModelConfig> models = parse(text);
        lastText = text;
        return models;
    }

    /** Starts polling for changes when the interval is positive. */
    public void start() {
        if (!pollInterval.isZero()) {
            long nanos = pollInterval.toNanos();
            poller.scheduleWithFixedDelay(this::pollSafely, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Re-reads the file now; returns whether it changed and was applied. */
    public synchronized boolean pollNow() {
        String text = readText();
        if (text.equals(lastText) || text.equals(rejectedText)) {
            return false;
        }
        if (text.isBlank()) {
            // Almost always a file caught between truncate and write by an editor or a script; taking it
            // as "no models" would unload everything for one poll. An explicit empty list still works.
            if (!text.equals(rejectedText)) {
                log.warn("{} is empty (being written?); keeping the current models. Write 'model_config_list {{}}' "
                        + "to serve none", file);
            }
            rejectedText = text;
            return false;
        }
        try {
            List<ModelConfig> models = parse(text);
            log.info("{} changed; now serving {} model(s)", file, models.size());
            onChange.accept(models);
        } catch (RuntimeException e) {
            rejectedText = text;
            throw e;
        }
        lastText = text;
        rejectedText = null;
        return true;
    }

    private void pollSafely() {
        try {
            pollNow();
        } catch (Throwable t) {
            log.error("cannot apply model config file {}: {}", file, t.getMessage()); // keep the current models
        }
    }

    private String readText() {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.notFound("cannot read model config file %s: %s", file, e.getMessage());
        }
    }

    private List<ModelConfig> parse(String text) {
        return ModelConfigFile.parse(text, file.toString(), file.toAbsolutePath().normalize().getParent());
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
