package io.clusterserving.onnx;

import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.VersionListing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * ONNX models run by ONNX Runtime: a version directory holding {@code *.onnx} files. With several,
 * {@code model.onnx} is the one loaded; without it the choice would be a guess, so loading fails.
 */
public final class OnnxFormat implements ModelFormat {
    public static final String NAME = "onnx";
    public static final String DEFAULT_FILE = "model.onnx";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(name -> name.endsWith(".onnx"));
    }

    @Override
    public LoadedModel load(ModelFiles files, LoadContext context) throws IOException {
        return OnnxModel.load(modelFile(files), context);
    }

    /** The one of the files found to load. */
    public Path modelFile(ModelFiles found) {
        return found.single(DEFAULT_FILE, ".onnx file", ".onnx files");
    }
}
