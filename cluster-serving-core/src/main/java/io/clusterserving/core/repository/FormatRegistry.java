package io.clusterserving.core.repository;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.VersionListing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The installed {@link ModelFormat}s and the repository contract's rule for choosing one for a
 * version directory: an explicit format (model.yaml {@code format:} or TF Serving's
 * {@code model_platform}) wins; otherwise exactly one format must recognise exactly one model in it.
 */
public final class FormatRegistry {
    /** TF Serving / Triton platform names → our format names (the names themselves need no entry). */
    private static final Map<String, String> ALIASES = Map.of(
            "onnxruntime_onnx", "onnx",
            "pytorch_libtorch", "torchscript",
            "pytorch", "torchscript",
            "tensorflow_savedmodel", "tensorflow");

    private final Map<String, ModelFormat> formats = new LinkedHashMap<>();

    public FormatRegistry(List<ModelFormat> formats) {
        for (ModelFormat format : formats) {
            String key = format.name().toLowerCase(Locale.ROOT);
            ModelFormat previous = this.formats.putIfAbsent(key, format);
            if (previous != null) {
                throw ServingException.failedPrecondition("two model formats are both named '%s': %s and %s",
                        key, previous.getClass().getName(), format.getClass().getName());
            }
        }
    }

    /**
     * The formats on the class path, found with {@link ServiceLoader} through the thread context class
     * loader (what application servers and Flink user-code class loaders expect), else this class's own.
     */
    public static FormatRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FormatRegistry.class.getClassLoader();
        }
        List<ModelFormat> found = new ArrayList<>();
        ServiceLoader.load(ModelFormat.class, loader).forEach(found::add);
        if (found.isEmpty() && loader != FormatRegistry.class.getClassLoader()) {
            ServiceLoader.load(ModelFormat.class, FormatRegistry.class.getClassLoader()).forEach(found::add);
        }
        return new FormatRegistry(found);
    }

    /** Names of the installed formats, in discovery order. */
    public List<String> names() {
        return List.copyOf(formats.keySet());
    }

    /**
     * The format with this name, case-insensitively; TF Serving's {@code model_platform} aliases
     * ("onnxruntime_onnx", "pytorch_libtorch", "pytorch") are accepted too.
     */
    public Optional<ModelFormat> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(formats.get(ALIASES.getOrDefault(key, key)));
    }

    /** Lists {@code versionDir} and chooses its format; see {@link #select(VersionListing, String)}. */
    public FormatSelection select(Path versionDir, String formatOverride) {
        return select(VersionListing.of(versionDir), formatOverride);
    }

    /**
     * Chooses the format of a version directory from one listing of it.
     *
     * @param formatOverride a format name or alias; null or blank to detect from the files
     * @throws ServingException FAILED_PRECONDITION for an override that is not installed, NOT_FOUND when
     *                          nothing loadable is there, INVALID_ARGUMENT when the choice is ambiguous
     */
    public FormatSelection select(VersionListing listing, String formatOverride) {
        Path versionDir = listing.dir();
        if (formatOverride != null && !formatOverride.isBlank()) {
            ModelFormat format = byName(formatOverride).orElseThrow(() -> ServingException.failedPrecondition(
                    "model format '%s' (for %s) is not installed; installed formats: %s",
                    formatOverride, versionDir, names()));
            List<Path> files = candidates(format, listing);
            if (files.isEmpty()) {
                throw ServingException.notFound("no %s model in %s: saw %s; expected %s",
                        format.name(), versionDir, listing.describe(), format.describePattern());
            }
            return new FormatSelection(format, new ModelFiles(versionDir, files));
        }
        Map<ModelFormat, List<Path>> found = new LinkedHashMap<>();
        for (ModelFormat format : formats.values()) {
            List<Path> files = candidates(format, listing);
            if (!files.isEmpty()) {
                found.put(format, files);
            }
        }
        if (found.isEmpty()) {
            throw ServingException.notFound("no model in %s: saw %s; expected %s",
                    versionDir, listing.describe(), expectedPatterns());
        }
        if (found.size() > 1) {
            String seen = found.entrySet().stream()
                    .map(e -> e.getKey().name() + " " + fileNames(e.getValue()))
                    .collect(Collectors.joining(", "));
            throw ServingException.invalidArgument(
                    "several model formats in %s: %s; keep one, or set format: in model.yaml", versionDir, seen);
        }
        Map.Entry<ModelFormat, List<Path>> only = found.entrySet().iterator().next();
        if (only.getValue().size() > 1) {
            throw ServingException.invalidArgument(
                    "several model files in %s: %s; keep one, or set format: in model.yaml",
                    versionDir, fileNames(only.getValue()));
        }
        return new FormatSelection(only.getKey(), new ModelFiles(versionDir, only.getValue()));
    }

    /** Whether {@code format} finds a model in the listing (a format that fails to tell does not). */
    public static boolean recognises(ModelFormat format, VersionListing listing) {
        try {
            List<Path> files = format.candidates(listing);
            return files != null && !files.isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<Path> candidates(ModelFormat format, VersionListing listing) {
        try {
            List<Path> files = format.candidates(listing);
            return files == null ? List.of() : files;
        } catch (RuntimeException e) {
            throw ServingException.internal("format " + format.name() + " cannot read " + listing.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    private String expectedPatterns() {
        List<String> patterns = formats.values().stream()
                .map(f -> f.describePattern() + " (" + f.name() + ")")
                .collect(Collectors.toList());
        if (patterns.isEmpty()) {
            return "a model, but no model formats are installed";
        }
        if (patterns.size() == 1) {
            return patterns.get(0);
        }
        return String.join(", ", patterns.subList(0, patterns.size() - 1)) + " or " + patterns.get(patterns.size() - 1);
    }

    private static List<String> fileNames(List<Path> files) {
        return files.stream().map(p -> String.valueOf(p.getFileName())).sorted().collect(Collectors.toList());
    }
}
