package io.clusterserving.flink.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.queue.redis.RedisQueueNames;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The job's {@code config.yaml}, with Cluster Serving's key names ({@code modelPath}, {@code jobName},
 * {@code queueUsed}, {@code redisUrl}, ...) plus a few of ours (batching, TTL, files, web UI). Keys
 * are flat; an unknown key is an error naming it, so a typo never silently falls back to a default.
 *
 * @param modelPath                    a model base directory with numeric version subdirectories, a single
 *                                     version directory, or a repository whose subdirectories are models
 *                                     (required; what it names is core.repository.ModelLocation's rule)
 * @param modelName                    name of the model when {@code modelPath} is one model (default: the
 *                                     directory's name); with a repository of several, the default model
 * @param jobName                      the request stream / topic and the result key prefix
 * @param queueUsed                    redis or kafka
 * @param redisUrl                     {@code host:port} or {@code redis://host:port}
 * @param redisPassword                null = none (or whatever the URL says)
 * @param redisSecureEnabled           TLS to Redis
 * @param redisSecureTrustStorePath    JKS/PKCS12 trust store for TLS (null = the JVM's)
 * @param redisSecureTrustStorePassword its password
 * @param kafkaUrl                     Kafka bootstrap servers
 * @param modelParallelism             parallel inference subtasks (and source readers)
 * @param threadPerModel               runtime threads inside one model (intra-op)
 * @param postProcessing               {@code topN(n)} or none
 * @param batchSize                    records per micro-batch (and per XREADGROUP)
 * @param batchTimeoutMillis           a partial micro-batch is run after this long
 * @param resultTtlSeconds             lifetime of result hashes
 * @param checkpointIntervalMillis     Flink checkpoint interval (0 = off; on by default)
 * @param webUiPort                    embedded mode: the Flink web UI port (0 = any free port)
 * @param claimIdleMillis              pending entries idle this long in another consumer are taken over
 * @param modelPollSeconds             how often each task looks for new version directories (0 = never)
 * @param inputPath                    read requests from this file or directory instead of the queue
 *                                     ({@code .csv}: {@code uri,data}; otherwise JSON lines envelopes)
 * @param outputPath                   write results here as JSON lines instead of to the queue;
 *                                     {@code stdout} prints them
 * @param kafkaInputTopic              Kafka request topic (default: the job name)
 * @param kafkaOutputTopic             Kafka result topic (default: {@code <jobName>-results})
 * @param checkpointDir                a local directory for retained checkpoints; a restarted job resumes
 *                                     from the newest one there (needed for Kafka exactly-once across
 *                                     process restarts); null = checkpoints in memory only
 * @param prometheusPort               embedded mode: serve Flink's metrics (with the job's per-model
 *                                     ones) for Prometheus on this port (0 = off)
 * @param modelStream                  a Redis stream of model descriptors; each task installs the versions
 *                                     published there while the job runs (null = off)
 * @param redisTrimIntervalMillis      how often the request stream is trimmed of the entries every consumer
 *                                     group has acknowledged (0 = never: the stream keeps every request)
 * @param resultTimeoutMillis          how long a micro-batch waits for its results; a request unanswered by
 *                                     then gets a DEADLINE_EXCEEDED error result
 */
public record ClusterServingConfig(
        String modelPath, String modelName, String jobName, QueueKind queueUsed,
        String redisUrl, String redisPassword, boolean redisSecureEnabled,
        String redisSecureTrustStorePath, String redisSecureTrustStorePassword, String kafkaUrl,
        int modelParallelism, int threadPerModel, PostProcessing postProcessing,
        int batchSize, long batchTimeoutMillis, long resultTtlSeconds, long checkpointIntervalMillis,
        int webUiPort, long claimIdleMillis, long modelPollSeconds, String inputPath, String outputPath,
        String kafkaInputTopic, String kafkaOutputTopic, String checkpointDir, int prometheusPort,
        String modelStream, long redisTrimIntervalMillis, long resultTimeoutMillis)
        implements Serializable {

    public static final String DEFAULT_REDIS_URL = "localhost:6379";
    public static final String STDOUT = "stdout";

    /** Every key the file may hold; anything else is reported. */
    public static final Set<String> KEYS = Set.of(
            "modelPath", "modelName", "jobName", "queueUsed", "redisUrl", "redisPassword", "redisSecureEnabled",
            "redisSecureTrustStorePath", "redisSecureTrustStorePassword", "kafkaUrl", "modelParallelism",
            "threadPerModel", "postProcessing", "batchSize", "batchTimeoutMillis", "resultTtlSeconds",
            "checkpointIntervalMillis", "webUiPort", "claimIdleMillis", "modelPollSeconds", "inputPath",
            "outputPath", "kafkaInputTopic", "kafkaOutputTopic", "checkpointDir", "prometheusPort", "modelStream",
            "redisTrimIntervalMillis", "resultTimeoutMillis");

    public ClusterServingConfig {
        if (modelPath == null || modelPath.isBlank()) {
            throw ServingException.invalidArgument("config key 'modelPath' is missing; it names the model directory");
        }
        if (jobName == null || jobName.isBlank()) {
            throw ServingException.invalidArgument("config key 'jobName' is empty");
        }
        requirePositive("modelParallelism", modelParallelism);
        requirePositive("threadPerModel", threadPerModel);
        requirePositive("batchSize", batchSize);
        requireNonNegative("batchTimeoutMillis", batchTimeoutMillis);
        requirePositive("resultTtlSeconds", resultTtlSeconds);
        requireNonNegative("checkpointIntervalMillis", checkpointIntervalMillis);
        requireNonNegative("webUiPort", webUiPort);
        requireNonNegative("prometheusPort", prometheusPort);
        requirePositive("claimIdleMillis", claimIdleMillis);
        requireNonNegative("modelPollSeconds", modelPollSeconds);
        requireNonNegative("redisTrimIntervalMillis", redisTrimIntervalMillis);
        requirePositive("resultTimeoutMillis", resultTimeoutMillis);
        if (queueUsed == QueueKind.KAFKA && (kafkaUrl == null || kafkaUrl.isBlank()) && inputPath == null) {
            throw ServingException.invalidArgument("config key 'kafkaUrl' is missing; queueUsed is kafka");
        }
        if (postProcessing == null) {
            postProcessing = PostProcessing.none();
        }
    }

    /** A config with every default and the given model path (for tests and the CLI's flags). */
    public static ClusterServingConfig defaults(String modelPath) {
        return parse(Map.of("modelPath", modelPath));
    }

    /** Reads {@code config.yaml}. */
    public static ClusterServingConfig load(Path file) {
        try {
            return fromYaml(Files.readString(file));
        } catch (IOException e) {
            throw ServingException.invalidArgument("cannot read config file %s: %s", file, e.getMessage());
        } catch (ServingException e) {
            throw new ServingException(e.code(), "config file " + file + ": " + e.getMessage(), e);
        }
    }

    public static ClusterServingConfig fromYaml(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw ServingException.invalidArgument("config is not valid YAML: %s", e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw ServingException.invalidArgument("config is empty; at least 'modelPath' is required");
        }
        if (!root.isObject()) {
            throw ServingException.invalidArgument("config must be a mapping of keys to values, got %s",
                    root.getNodeType());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                throw ServingException.invalidArgument("config key '%s' must be a single value, got a %s",
                        e.getKey(), v.getNodeType());
            }
            values.put(e.getKey(), v.isNull() ? null : v.asText());
        }
        return parse(values);
    }

    /** Builds a config from flat key/value pairs (values as text or numbers). */
    public static ClusterServingConfig parse(Map<String, ?> values) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw ServingException.invalidArgument("unknown config key%s %s; known keys are %s",
                    unknown.size() == 1 ? "" : "s", unknown, new TreeSet<>(KEYS));
        }
        Keys k = new Keys(values);
        return new ClusterServingConfig(
                k.text("modelPath", null),
                k.text("modelName", null),
                k.text("jobName", RedisQueueNames.DEFAULT_JOB_NAME),
                QueueKind.parse(k.text("queueUsed", "redis")),
                k.text("redisUrl", DEFAULT_REDIS_URL),
                k.text("redisPassword", null),
                k.bool("redisSecureEnabled", false),
                k.text("redisSecureTrustStorePath", null),
                k.text("redisSecureTrustStorePassword", null),
                k.text("kafkaUrl", null),
                (int) k.number("modelParallelism", 1),
                (int) k.number("threadPerModel", 1),
                PostProcessing.parse(k.text("postProcessing", null)),
                (int) k.number("batchSize", 64),
                k.number("batchTimeoutMillis", 5),
                k.number("resultTtlSeconds", 3600),
                k.number("checkpointIntervalMillis", 10_000),
                (int) k.number("webUiPort", 8081),
                k.number("claimIdleMillis", 60_000),
                k.number("modelPollSeconds", 1),
                k.text("inputPath", null),
                k.text("outputPath", null),
                k.text("kafkaInputTopic", k.text("jobName", RedisQueueNames.DEFAULT_JOB_NAME)),
                k.text("kafkaOutputTopic", k.text("jobName", RedisQueueNames.DEFAULT_JOB_NAME) + "-results"),
                k.text("checkpointDir", null),
                (int) k.number("prometheusPort", 0),
                k.text("modelStream", null),
                k.number("redisTrimIntervalMillis", 1_000),
                k.number("resultTimeoutMillis", 300_000));
    }

    /** The Redis URI: {@code redisUrl} with a scheme ({@code rediss://} when secure). */
    public String redisUri() {
        String url = redisUrl.trim();
        if (url.startsWith("redis://") || url.startsWith("rediss://")) {
            return redisSecureEnabled && url.startsWith("redis://") ? "rediss://" + url.substring(8) : url;
        }
        return (redisSecureEnabled ? "rediss://" : "redis://") + url;
    }

    public boolean readsFiles() {
        return inputPath != null && !inputPath.isBlank();
    }

    public boolean writesFiles() {
        return outputPath != null && !outputPath.isBlank();
    }

    /** The config as the flat map {@link #parse} accepts (for copying with changes). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelPath", modelPath);
        m.put("modelName", modelName);
        m.put("jobName", jobName);
        m.put("queueUsed", queueUsed.name().toLowerCase(java.util.Locale.ROOT));
        m.put("redisUrl", redisUrl);
        m.put("redisPassword", redisPassword);
        m.put("redisSecureEnabled", redisSecureEnabled);
        m.put("redisSecureTrustStorePath", redisSecureTrustStorePath);
        m.put("redisSecureTrustStorePassword", redisSecureTrustStorePassword);
        m.put("kafkaUrl", kafkaUrl);
        m.put("modelParallelism", modelParallelism);
        m.put("threadPerModel", threadPerModel);
        m.put("postProcessing", postProcessing.isNone() ? null : postProcessing.toString());
        m.put("batchSize", batchSize);
        m.put("batchTimeoutMillis", batchTimeoutMillis);
        m.put("resultTtlSeconds", resultTtlSeconds);
        m.put("checkpointIntervalMillis", checkpointIntervalMillis);
        m.put("webUiPort", webUiPort);
        m.put("claimIdleMillis", claimIdleMillis);
        m.put("modelPollSeconds", modelPollSeconds);
        m.put("inputPath", inputPath);
        m.put("outputPath", outputPath);
        m.put("kafkaInputTopic", kafkaInputTopic);
        m.put("kafkaOutputTopic", kafkaOutputTopic);
        m.put("checkpointDir", checkpointDir);
        m.put("prometheusPort", prometheusPort);
        m.put("modelStream", modelStream);
        m.put("redisTrimIntervalMillis", redisTrimIntervalMillis);
        m.put("resultTimeoutMillis", resultTimeoutMillis);
        return m;
    }

    /** A copy with some keys changed, e.g. {@code with(Map.of("jobName", "j2"))}. */
    public ClusterServingConfig with(Map<String, ?> changes) {
        Map<String, Object> m = toMap();
        m.putAll(changes);
        m.values().removeIf(java.util.Objects::isNull);
        return parse(m);
    }

    @Override
    public String toString() {
        // Never print passwords.
        Map<String, Object> m = toMap();
        m.computeIfPresent("redisPassword", (key, v) -> "***");
        m.computeIfPresent("redisSecureTrustStorePassword", (key, v) -> "***");
        m.values().removeIf(java.util.Objects::isNull);
        return "ClusterServingConfig" + m;
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw ServingException.invalidArgument("config key '%s' must be a positive integer, got %d", key, value);
        }
    }

    private static void requireNonNegative(String key, long value) {
        if (value < 0) {
            throw ServingException.invalidArgument("config key '%s' must be zero or positive, got %d", key, value);
        }
    }

    /** Typed access to the raw values, with errors naming the key. */
    private record Keys(Map<String, ?> values) {
        String text(String key, String fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            String s = v.toString().trim();
            return s.isEmpty() ? fallback : s;
        }

        long number(String key, long fallback) {
            String s = text(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw ServingException.invalidArgument("config key '%s' must be an integer, got '%s'", key, s);
            }
        }

        boolean bool(String key, boolean fallback) {
            String s = text(key, null);
            if (s == null) {
                return fallback;
            }
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no")) {
                return false;
            }
            throw ServingException.invalidArgument("config key '%s' must be true or false, got '%s'", key, s);
        }
    }
}
