package io.clusterserving.core.model;

import java.nio.file.Path;
import java.util.List;

/**
 * A model format (ONNX, TensorFlow, PMML, TorchScript), found with {@link java.util.ServiceLoader}.
 * Leaving a format's module out of the distribution removes the format and its native libraries.
 */
public interface ModelFormat {

    /** Short lower-case name used in {@code model.yaml}'s {@code format:} and in status ("onnx"). */
    String name();

    /**
     * The files of a version directory that this format would load, per the repository contract
     * ({@code saved_model.pb}, {@code *.onnx}, {@code *.pmml}, {@code *.pt}/{@code *.torchscript}), read
     * from the listing made once for all formats (no I/O of its own). Empty when the directory holds
     * nothing of this format.
     */
    List<Path> candidates(VersionListing listing);

    /**
     * How this format's files are recognised, for "no model found" messages ("*.onnx"). The default
     * gives the repository contract's pattern for the built-in format names.
     */
    default String describePattern() {
        return switch (name()) {
            case "tensorflow" -> "saved_model.pb";
            case "onnx" -> "*.onnx";
            case "pmml" -> "*.pmml";
            case "torchscript" -> "*.pt/*.torchscript";
            default -> "files of format " + name();
        };
    }

    /**
     * Loads a version directory. Called only when this format was selected for it, with the
     * {@link #candidates} found when it was selected.
     */
    LoadedModel load(ModelFiles files, LoadContext context) throws Exception;
}
