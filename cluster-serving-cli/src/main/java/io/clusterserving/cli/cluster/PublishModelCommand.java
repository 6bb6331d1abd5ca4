package io.clusterserving.cli.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.modelstream.ModelUpdate;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code cluster publish-model}: XADDs a model descriptor to the job's model stream, so a running job
 * installs the version without a restart. By location (the task managers read the directory) or,
 * with {@code --inline}, with the model file's bytes inside the descriptor.
 */
// No standard help mixin: its -V/--version would take --version, which here is the model version.
@Command(name = "publish-model", sortOptions = false,
        description = {"Publishes a model version to the running job (its modelStream).",
                "The job loads it and switches to it without a restart.",
                "Prints the stream entry id."})
public final class PublishModelCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "The job's config.yaml (redisUrl, redisPassword, modelStream, modelName).")
    Path config;

    @Option(names = "--model-dir", paramLabel = "DIR", required = true,
            description = "The version's directory (or model file), readable by every task manager unless --inline.")
    Path modelDir;

    @Option(names = "--version", paramLabel = "N", required = true, description = "The version it becomes.")
    long version;

    @Option(names = "--name", paramLabel = "MODEL",
            description = "Model name (default: the config's modelName, else the modelPath directory's name).")
    String name;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "onnx, tensorflow, pmml or torchscript (default: detected from the files).")
    String format;

    @Option(names = "--inline", description = "Send the model file's bytes in the descriptor instead of its location.")
    boolean inline;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text carried in the descriptor.")
    String description;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterServingConfig cfg = JobConfigFile.load(spec.commandLine(), config);
        Map<String, String> fields;
        ModelUpdate update;
        try {
            if (cfg.modelStream() == null) {
                throw new IllegalArgumentException("config " + config + " has no 'modelStream' key: the job reads no "
                        + "model stream, so there is nothing to publish to");
            }
            Path model = modelDir.toAbsolutePath().normalize();
            if (!Files.exists(model)) {
                throw new IllegalArgumentException("--model-dir " + model + " does not exist");
            }
            String fmt = format != null ? format.trim().toLowerCase(java.util.Locale.ROOT) : detectFormat(model);
            String modelName = name != null ? name : defaultName(cfg);
            if (inline) {
                Path file = modelFile(model, fmt);
                update = new ModelUpdate(modelName, version, fmt, description, Files.readAllBytes(file), null);
                fields = Map.of("descriptor", Base64.getEncoder().encodeToString(update.toBytes()));
            } else {
                update = new ModelUpdate(modelName, version, fmt, description, null, model.toString());
                fields = locationFields(update);
            }
        } catch (IllegalArgumentException | ServingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelDir + ": " + e.getMessage(), e);
        }
        String id;
        try (RedisConnector connector = new RedisConnector(RedisConnection.from(cfg).endpoint(), 1);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            id = connection.sync().xadd(cfg.modelStream(), fields);
        }
        spec.commandLine().getOut().println("published " + update + " on model stream '" + cfg.modelStream()
                + "' as entry " + id);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The plain-field form of a by-location descriptor: {@code name version format location [description]}. */
    static Map<String, String> locationFields(ModelUpdate update) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", update.name());
        fields.put("version", Long.toString(update.version()));
        fields.put("format", update.format());
        fields.put("location", update.location());
        if (!update.description().isEmpty()) {
            fields.put("description", update.description());
        }
        return fields;
    }

    private static String defaultName(ClusterServingConfig cfg) {
        if (cfg.modelName() != null) {
            return cfg.modelName();
        }
        Path base = Path.of(cfg.modelPath()).toAbsolutePath().normalize().getFileName();
        if (base == null) {
            throw new IllegalArgumentException("cannot derive a model name from modelPath '" + cfg.modelPath()
                    + "'; give --name");
        }
        return base.toString();
    }

    /** The repository's detection rules: saved_model.pb, *.onnx, *.pmml, *.pt / *.torchscript. */
    static String detectFormat(Path model) {
        List<String> names = listNames(model);
        if (names.contains("saved_model.pb")) {
            return "tensorflow";
        }
        if (names.stream().anyMatch(n -> n.endsWith(".onnx"))) {
            return "onnx";
        }
        if (names.stream().anyMatch(n -> n.endsWith(".pmml"))) {
            return "pmml";
        }
        if (names.stream().anyMatch(n -> n.endsWith(".pt") || n.endsWith(".torchscript"))) {
            return "torchscript";
        }
        throw new IllegalArgumentException("cannot tell the format of " + model + " (no saved_model.pb, *.onnx, "
                + "*.pmml, *.pt or *.torchscript); give --format");
    }

    private static Path modelFile(Path model, String format) {
        if (Files.isRegularFile(model)) {
            return model;
        }
        List<String> suffixes = switch (format) {
            case "onnx" -> List.of(".onnx");
            case "pmml" -> List.of(".pmml");
            case "torchscript" -> List.of(".pt", ".torchscript");
            default -> throw new IllegalArgumentException("--inline works for a single model file (onnx, pmml, "
                    + "torchscript); publish " + format + " models by location");
        };
        List<String> files = listNames(model).stream().filter(n -> suffixes.stream().anyMatch(n::endsWith)).toList();
        if (files.size() != 1) {
            throw new IllegalArgumentException("--inline needs exactly one " + suffixes + " file in " + model
                    + ", found " + files);
        }
        return model.resolve(files.get(0));
    }

    private static List<String> listNames(Path model) {
        if (Files.isRegularFile(model)) {
            return List.of(model.getFileName().toString());
        }
        try (Stream<Path> files = Files.list(model)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + model + ": " + e.getMessage(), e);
        }
    }
}
