package io.clusterserving.torch;

import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.VersionListing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * TorchScript models ({@code torch.jit.save} archives) run by libtorch through DJL's PyTorch engine:
 * a version directory holding {@code *.pt} or {@code *.torchscript} files. With several, {@code model.pt}
 * is the one loaded; without it the choice would be a guess, so loading fails.
 *
 * <p>libtorch is bundled (CPU, linux-x86_64) and nothing is downloaded; how the engine is started —
 * offline, no telemetry, its unpack directory, its process-wide thread counts — is described on
 * {@link TorchRuntime}. The {@code options:} of {@code model.yaml} name and type the module's inputs and
 * outputs, see {@link TorchModelSettings}.
 */
public final class TorchFormat implements ModelFormat {
    public static final String NAME = "torchscript";
    public static final String DEFAULT_FILE = "model.pt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(name -> name.endsWith(".pt") || name.endsWith(".torchscript"));
    }

    @Override
    public LoadedModel load(ModelFiles files, LoadContext context) throws IOException {
        Path versionDir = files.versionDir();
        Path file = modelFile(files);
        TorchModelSettings settings = TorchModelSettings.from(context);
        Path modelDir = versionDir.toAbsolutePath().getParent();
        TorchRuntime.start(context.intraOpThreads(), context.interOpThreads(),
                modelDir == null ? null : modelDir.getParent());
        return TorchModel.load(file, context, settings);
    }

    /** The one of the files found to load. */
    public Path modelFile(ModelFiles found) {
        return found.single(DEFAULT_FILE, ".pt or .torchscript file", "TorchScript files");
    }
}
