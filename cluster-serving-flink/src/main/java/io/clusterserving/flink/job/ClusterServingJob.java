package io.clusterserving.flink.job;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.QueueKind;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.inference.InferenceOperator;
import io.clusterserving.flink.inference.InferenceSettings;
import io.clusterserving.flink.inference.ResultBatch;
import io.clusterserving.flink.modelstream.ModelStreamInferenceOperator;
import io.clusterserving.flink.modelstream.ModelStreamSource;
import io.clusterserving.flink.sink.PrintResultSink;
import io.clusterserving.flink.sink.RedisResultSink;
import io.clusterserving.flink.sink.RedisSinkSettings;
import io.clusterserving.flink.sink.ResultJson;
import io.clusterserving.flink.source.FileLineParser;
import io.clusterserving.flink.source.RedisSourceSettings;
import io.clusterserving.flink.source.RedisStreamSource;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Cluster Serving job: source (Redis stream, or files) → micro-batching inference operator →
 * sink (Redis result hashes + XACK, JSON lines files, or stdout), all at {@code modelParallelism};
 * with {@code modelStream} set, a broadcast stream of model descriptors updates the models at runtime.
 *
 * <p>Three ways to run the same graph: {@link #start(ClusterServingConfig)} on an embedded MiniCluster
 * with the Flink web UI, {@link #start(ClusterServingConfig, String)} submitted to a running cluster's
 * REST endpoint ({@code --flink-master host:port}), and {@link #main} under {@code flink run}.
 *
 * <p>Delivery (Redis): at-least-once. An entry is acknowledged only after its result hash is written;
 * after any failure or restart, unacknowledged entries are read again from the pending entries list
 * (same consumer name per subtask) or claimed from dead consumers, and their result hashes — keyed by
 * uri — are overwritten with the same value. Checkpointing is on by default; the Redis path keeps no
 * Flink state (the stream's pending list is its position), the file sink commits on checkpoints.
 */
public final class ClusterServingJob {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterServingJob.class);

    private ClusterServingJob() {
    }

    /** Runs the job on an embedded MiniCluster with the web UI on {@code webUiPort} (0: any free port). */
    public static JobHandle start(ClusterServingConfig config) {
        Configuration conf = jobConfiguration(config);
        conf.set(RestOptions.BIND_PORT, Integer.toString(config.webUiPort()));
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.modelParallelism());
        if (config.prometheusPort() > 0) {
            conf.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", Integer.toString(config.prometheusPort()));
        }
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(config.modelParallelism())
                .build());
        try {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            JobClient client = submit(config, conf, rest.getHost(), rest.getPort(), new String[0]);
            String url = "http://" + rest.getHost() + ":" + rest.getPort();
            LOG.info("Cluster Serving job '{}' runs on an embedded Flink MiniCluster; web UI at {}", config.jobName(), url);
            return new JobHandle(client, url, cluster);
        } catch (Exception e) {
            cluster.closeAsync();
            throw startFailed(config, e);
        }
    }

    /**
     * Submits the job to a running Flink cluster's REST endpoint {@code host:port}. The jars on this
     * process's class path (except those the Flink distribution provides) are shipped with the job.
     */
    public static JobHandle start(ClusterServingConfig config, String flinkMaster) {
        return start(config, flinkMaster, Arrays.stream(JobJars.fromClassPath()).map(java.nio.file.Path::of).toList());
    }

    /** Submits the job to {@code flinkMaster} ({@code host:port}) shipping exactly {@code jars}. */
    public static JobHandle start(ClusterServingConfig config, String flinkMaster, List<java.nio.file.Path> jars) {
        int colon = flinkMaster.lastIndexOf(':');
        if (colon <= 0 || colon == flinkMaster.length() - 1) {
            throw ServingException.invalidArgument("--flink-master must be host:port, got '%s'", flinkMaster);
        }
        String host = flinkMaster.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(flinkMaster.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ServingException.invalidArgument("--flink-master port must be a number, got '%s'", flinkMaster);
        }
        try {
            JobClient client = submit(config, jobConfiguration(config), host, port,
                    jars.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new));
            LOG.info("Cluster Serving job '{}' submitted to Flink at {}", config.jobName(), flinkMaster);
            return new JobHandle(client, "http://" + host + ":" + port, null);
        } catch (Exception e) {
            throw startFailed(config, e);
        }
    }

    /** {@code flink run cluster-serving-flink.jar --config config.yaml}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: flink run <job jar> --config <config.yaml>");
            System.exit(2);
        }
        ClusterServingConfig config = ClusterServingConfig.load(java.nio.file.Path.of(args[1]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(config));
        build(env, config);
        env.execute(config.jobName());
    }

    /** Checkpointing and a restart strategy that keeps a serving job alive across transient failures. */
    public static Configuration jobConfiguration(ClusterServingConfig config) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        if (config.checkpointDir() != null) {
            java.nio.file.Path dir = java.nio.file.Path.of(config.checkpointDir()).toAbsolutePath().resolve(config.jobName());
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            RetainedCheckpoints.latest(dir).ifPresent(chk -> {
                LOG.info("job '{}' resumes from retained checkpoint {}", config.jobName(), chk);
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, chk.toUri().toString());
                // Flink owns it from now on and deletes it once newer checkpoints subsume it.
                conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
                // A changed config (e.g. model stream turned off) must not keep the job from starting.
                conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            });
        }
        return conf;
    }

    /** Adds the job's graph to {@code env} (also used by tests with their own MiniCluster). */
    public static void build(StreamExecutionEnvironment env, ClusterServingConfig config) {
        // Records are immutable and every operator makes new ones, so chained operators may pass them
        // on without Flink's defensive per-record copy.
        env.getConfig().enableObjectReuse();
        if (config.checkpointIntervalMillis() > 0) {
            env.enableCheckpointing(config.checkpointIntervalMillis());
        }
        boolean redisQueue = config.queueUsed() == QueueKind.REDIS && !(config.readsFiles() && config.writesFiles());
        if (redisQueue || config.modelStream() != null) {
            RedisConnection.from(config).verified(); // a bad trust store fails here, not in every task's open()
        }
        int parallelism = config.modelParallelism();
        DataStream<QueueRequest> requests = requests(env, config);
        InferenceSettings inference = InferenceSettings.from(config);
        DataStream<ResultBatch> results;
        if (config.modelStream() != null) {
            DataStream<byte[]> descriptors = env.fromSource(
                            new ModelStreamSource(RedisConnection.from(config), config.modelStream()),
                            WatermarkStrategy.noWatermarks(), "model-stream:" + config.modelStream())
                    .uid("model-stream-source")
                    .setParallelism(1);
            results = requests.connect(descriptors.broadcast())
                    .transform("inference", TypeInformation.of(ResultBatch.class),
                            new ModelStreamInferenceOperator(inference))
                    .uid("inference")
                    .setParallelism(parallelism);
        } else {
            results = requests
                    .transform("inference", TypeInformation.of(ResultBatch.class), new InferenceOperator(inference))
                    .uid("inference")
                    .setParallelism(parallelism);
        }
        if (config.writesFiles()) {
            if (config.outputPath().equals(ClusterServingConfig.STDOUT)) {
                results.sinkTo(new PrintResultSink()).name("print").uid("print-sink").setParallelism(parallelism);
            } else {
                results.flatMap((ResultBatch batch, Collector<String> out) -> {
                            for (QueueResult r : batch.results()) {
                                out.collect(ResultJson.line(r));
                            }
                        }).returns(Types.STRING).uid("result-lines").setParallelism(parallelism)
                        .sinkTo(FileSink.forRowFormat(new Path(config.outputPath()),
                                        new SimpleStringEncoder<String>("UTF-8"))
                                .withBucketAssigner(new BasePathBucketAssigner<>())
                                .build())
                        .name("files").uid("file-sink").setParallelism(parallelism);
            }
        } else if (config.queueUsed() == QueueKind.KAFKA) {
            flatten(results, parallelism).sinkTo(KafkaQueue.sink(config))
                    .name("kafka-results").uid("kafka-sink").setParallelism(parallelism);
        } else {
            results.sinkTo(new RedisResultSink(RedisSinkSettings.from(config)))
                    .name("redis-results").uid("redis-sink").setParallelism(parallelism);
        }
    }

    private static DataStream<QueueRequest> requests(StreamExecutionEnvironment env, ClusterServingConfig config) {
        if (config.readsFiles()) {
            FileSource<String> files = FileSource.forRecordStreamFormat(new TextLineInputFormat(),
                    new Path(config.inputPath())).build();
            return env.fromSource(files, WatermarkStrategy.noWatermarks(), "files").uid("file-source")
                    .filter(line -> !line.isBlank() && !FileLineParser.isCsvHeader(line))
                    .map(FileLineParser.forPath(config.inputPath()))
                    .returns(TypeInformation.of(QueueRequest.class))
                    .uid("parse-lines");
        }
        if (config.queueUsed() == QueueKind.KAFKA) {
            return env.fromSource(KafkaQueue.source(config), WatermarkStrategy.noWatermarks(),
                            "kafka:" + config.kafkaInputTopic())
                    .uid("kafka-source")
                    .setParallelism(config.modelParallelism());
        }
        return env.fromSource(new RedisStreamSource(RedisSourceSettings.from(config)), WatermarkStrategy.noWatermarks(),
                        "redis-stream:" + config.jobName())
                .uid("redis-source")
                .setParallelism(config.modelParallelism());
    }

    private static DataStream<QueueResult> flatten(DataStream<ResultBatch> batches, int parallelism) {
        return batches.flatMap((ResultBatch batch, Collector<QueueResult> out) -> {
            for (QueueResult r : batch.results()) {
                out.collect(r);
            }
        }).returns(TypeInformation.of(QueueResult.class)).uid("results").setParallelism(parallelism);
    }

    private static JobClient submit(ClusterServingConfig config, Configuration conf, String host, int port,
                                    String[] jars) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf, jars);
        build(env, config);
        return env.executeAsync(config.jobName());
    }

    private static ServingException startFailed(ClusterServingConfig config, Exception e) {
        if (e instanceof ServingException se) {
            return se;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return ServingException.unavailable("could not start Cluster Serving job '%s': %s", config.jobName(),
                e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
