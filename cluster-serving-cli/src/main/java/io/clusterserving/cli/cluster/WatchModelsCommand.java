package io.clusterserving.cli.cluster;

import io.clusterserving.cli.bench.DurationConverter;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.modelstream.ModelUpdate;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code cluster watch-models}: the repository watcher. Watches a model's base directory (version
 * subdirectories named by number, the repository layout) and publishes a descriptor on the job's
 * model stream for every version directory that appears, so copying a new version into place is all
 * a rollout takes. Versions present at start are taken as already served unless
 * {@code --publish-existing}. A directory without a model file yet (still being copied) is retried on
 * the next scan.
 */
@Command(name = "watch-models", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watches a model base directory and publishes each new version directory on the job's",
                "model stream (by location), until SIGTERM/SIGINT. Prints one line per publication."})
public final class WatchModelsCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "The job's config.yaml (redisUrl, modelStream, modelName, modelPath).")
    Path config;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "The model's base directory (default: the config's modelPath).")
    Path baseDir;

    @Option(names = "--name", paramLabel = "MODEL",
            description = "Model name (default: the config's modelName, else the base directory's name).")
    String name;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
            description = "Time between scans (default: 1s).")
    Duration interval;

    @Option(names = "--publish-existing", description = "Also publish the versions present at start (highest last).")
    boolean publishExisting;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ClusterServingConfig cfg = JobConfigFile.load(spec.commandLine(), config);
        if (cfg.modelStream() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "config " + config
                    + " has no 'modelStream' key: the job reads no model stream, so there is nothing to publish to");
        }
        Path base = (baseDir != null ? baseDir : Path.of(cfg.modelPath())).toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "model directory " + base + " does not exist");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        String modelName = name != null ? name : cfg.modelName() != null ? cfg.modelName() : base.getFileName().toString();
        PrintWriter out = spec.commandLine().getOut();
        Set<Long> published = new TreeSet<>();
        if (!publishExisting) {
            published.addAll(versions(base));
        }
        out.println("watching " + base + " for new versions of '" + modelName + "' (known: " + published
                + "); publishing on model stream '" + cfg.modelStream() + "'");
        out.flush();
        try (RedisConnector connector = new RedisConnector(RedisConnection.from(cfg).endpoint(), 1);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            while (!Thread.currentThread().isInterrupted()) {
                for (long version : versions(base)) {
                    if (published.contains(version)) {
                        continue;
                    }
                    Path dir = base.resolve(Long.toString(version));
                    String format;
                    try {
                        format = PublishModelCommand.detectFormat(dir);
                    } catch (IllegalArgumentException | UncheckedIOException e) {
                        continue; // no model file yet: the copy is still going on
                    }
                    ModelUpdate update = new ModelUpdate(modelName, version, format, null, null, dir.toString());
                    String id = connection.sync().xadd(cfg.modelStream(), PublishModelCommand.locationFields(update));
                    published.add(version);
                    out.println("published " + update + " as entry " + id);
                    out.flush();
                }
                Thread.sleep(interval.toMillis());
            }
        }
        return 0;
    }

    /** The numeric subdirectories of {@code base}, ascending. */
    private static Set<Long> versions(Path base) {
        Set<Long> versions = new TreeSet<>();
        try (Stream<Path> entries = Files.list(base)) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]{1,18}")).forEach(n -> versions.add(Long.parseLong(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base + ": " + e.getMessage(), e);
        }
        return versions;
    }
}
