package io.clusterserving.core.repository;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a model path names, as the core serves it — the one rule for Cluster Serving's {@code modelPath}
 * and Flink SQL's {@code model-path}:
 * <ol>
 *   <li>one model's base directory: it has numeric version subdirectories (TF Serving layout);</li>
 *   <li>one version directory: it holds a model's files (a SavedModel, {@code model.onnx}, ...); the core
 *       serves base directories only, so it is linked as version 1 of a temporary base directory, which
 *       {@link #close()} deletes;</li>
 *   <li>a repository: every visible subdirectory is a model ({@link ModelRepository}).</li>
 * </ol>
 * A model name, when given, is the name the one model of forms 1 and 2, or of a repository of one model,
 * is served under; in a repository of several it chooses the default model and must be one of them.
 *
 * @param models        the models to serve
 * @param defaultModel  the model a request that names none goes to; null when the repository holds
 *                      several and no model name chose one
 * @param temporaryBase the base directory made for a single version directory; null otherwise
 */
public record ModelLocation(List<ModelConfig> models, String defaultModel, Path temporaryBase)
        implements AutoCloseable {

    public ModelLocation {
        models = List.copyOf(models);
    }

    public ModelLocation(List<ModelConfig> models, String defaultModel) {
        this(models, defaultModel, null);
    }

    /**
     * The models, with the default model the one {@code modelName} names, else the only one, else none.
     */
    public static ModelLocation of(List<ModelConfig> models, String modelName) {
        String fallback = isSet(modelName) ? modelName : models.size() == 1 ? models.get(0).name() : null;
        return new ModelLocation(models, fallback);
    }

    /** {@link #resolve(String, String, FormatRegistry)} with the formats on the class path. */
    public static ModelLocation resolve(String modelPath, String modelName) {
        return resolve(modelPath, modelName, FormatRegistry.load());
    }

    /**
     * @param modelPath a directory, optionally as a {@code file://} URI
     * @param modelName the name to serve one model under, or the default model of a repository; null or
     *                  blank = the directory's own name / no default among several
     * @param formats   the formats that tell a version directory by its files
     * @throws ServingException INVALID_ARGUMENT without a path, NOT_FOUND when the path is none of the three
     *                          forms or the model name is not a model of a repository of several
     */
    public static ModelLocation resolve(String modelPath, String modelName, FormatRegistry formats) {
        if (!isSet(modelPath)) {
            throw ServingException.invalidArgument("no model path given");
        }
        String location = modelPath.startsWith("file://") ? modelPath.substring("file://".length()) : modelPath;
        Path path = Path.of(location).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw ServingException.notFound("model path %s does not exist or is not a directory", path);
        }
        String name = isSet(modelName) ? modelName : nameOf(path);
        try {
            if (!VersionDirectories.scan(path).isEmpty()) {
                return of(List.of(ModelConfig.of(name, path)), name);
            }
        } catch (IOException e) {
            throw ServingException.internal("cannot list model path " + path + ": " + e.getMessage(), e);
        }
        if (holdsModelFiles(path, formats)) {
            return singleVersion(name, path);
        }
        List<ModelConfig> models = ModelRepository.discover(path);
        if (models.isEmpty()) {
            throw ServingException.notFound("model path %s holds neither version directories (1/, 2/, ...), nor model "
                    + "files, nor model directories", path);
        }
        if (models.size() == 1 && isSet(modelName)) {
            return of(List.of(models.get(0).withName(modelName)), modelName);
        }
        if (isSet(modelName) && models.stream().noneMatch(m -> m.name().equals(modelName))) {
            throw ServingException.notFound("model name '%s' is not a model of the repository %s; it has %s",
                    modelName, path, models.stream().map(ModelConfig::name).toList());
        }
        return of(models, modelName);
    }

    public List<String> modelNames() {
        return models.stream().map(ModelConfig::name).toList();
    }

    /** Deletes the temporary base directory, if one was made (the link in it, never what it points to). */
    @Override
    public void close() {
        if (temporaryBase == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporaryBase.resolve("1"));
            Files.deleteIfExists(temporaryBase);
        } catch (IOException e) {
            // A link and an empty directory in the temp dir: nothing worth failing a shutdown over.
        }
    }

    private static boolean holdsModelFiles(Path dir, FormatRegistry formats) {
        try {
            formats.select(dir, null);
            return true;
        } catch (ServingException e) {
            return false;
        }
    }

    private static ModelLocation singleVersion(String name, Path versionDir) {
        try {
            Path base = Files.createTempDirectory("cluster-serving-model-");
            Files.createSymbolicLink(base.resolve("1"), versionDir);
            return new ModelLocation(List.of(ModelConfig.of(name, base)), name, base);
        } catch (IOException e) {
            throw ServingException.internal("cannot link the version directory " + versionDir + ": " + e.getMessage(), e);
        }
    }

    private static String nameOf(Path path) {
        Path file = path.getFileName();
        return file == null ? "model" : file.toString();
    }

    private static boolean isSet(String text) {
        return text != null && !text.isBlank();
    }
}
