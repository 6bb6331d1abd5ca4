package io.clusterserving.cli.cluster.bench;

import io.clusterserving.bench.cluster.KafkaQueueLoad;
import io.clusterserving.bench.cluster.QueueBench;
import io.clusterserving.bench.cluster.QueueLoad;
import io.clusterserving.bench.cluster.RedisQueueLoad;
import io.clusterserving.cli.bench.DurationConverter;
import io.clusterserving.cli.cluster.JobConfigFile;
import io.clusterserving.cli.queue.RequestBodyFlags;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.QueueKind;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.queue.client.RequestBodies;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cluster bench --config config.yaml --file request.json}: end-to-end records/s of a running
 * Cluster Serving job, through the queue its config names — from the first request sent to the last
 * result written, each run a burst of {@code --records} requests. The load itself is
 * cluster-serving-bench's {@link QueueBench}; this command reads the flags and the job's config.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a running Cluster Serving job end to end: sends bursts of requests to the queue the",
                "config names (Redis stream or Kafka topic) and times each burst from the first send to the last",
                "result written (Redis: acknowledged after its hash is written; Kafka: committed on the output topic).",
                "Prints records/s per run and the median. Exits 1 when any result is an error."})
public final class ClusterBenchCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The job's config.yaml.")
    Path config;

    // Optional for picocli (a required group breaks --help); call() insists on one.
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RequestBodyFlags body;

    @Option(names = "--records", paramLabel = "N", defaultValue = "50000",
            description = "Requests per measured run (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--warmup-records", paramLabel = "N", defaultValue = "10000",
            description = "Requests of one unmeasured run first, so the job's code is compiled (default: ${DEFAULT-VALUE}).")
    int warmupRecords;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Measured runs; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10m",
            description = "Longest wait for one run's results (default: 10m).")
    Duration timeout;

    @Option(names = "--await-job", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
            description = "How long to wait for a just-started job to create its consumer group / output topic (default: 60s).")
    Duration awaitJob;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ClusterServingConfig cfg = JobConfigFile.load(spec.commandLine(), config);
        QueueBench bench;
        try {
            bench = new QueueBench(records, warmupRecords, runs, timeout);
        } catch (ServingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (body == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give the request body: --data JSON, --file FILE or --instances LIST");
        }
        String json;
        try {
            json = body.body();
            RequestBodies.requireJsonObject(json);
        } catch (RuntimeException e) { // unreadable file or not a JSON object: a bad command line
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (QueueLoad load = open(cfg, cfg.modelName(), awaitJob)) {
            long errors = bench.run(load, cfg.jobName(), json, spec.commandLine().getOut());
            return errors > 0 ? 1 : 0;
        }
    }

    /** @param model the model every request names (the config's modelName), null for the job's default */
    private static QueueLoad open(ClusterServingConfig cfg, String model, Duration awaitJob) throws InterruptedException {
        if (cfg.queueUsed() == QueueKind.KAFKA) {
            return new KafkaQueueLoad(KafkaQueueSettings.of(cfg.kafkaUrl(), cfg.kafkaInputTopic(), cfg.kafkaOutputTopic()),
                    model, awaitJob);
        }
        return new RedisQueueLoad(RedisConnection.from(cfg).endpoint(), cfg.jobName(), model, awaitJob);
    }
}
