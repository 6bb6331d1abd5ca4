package io.clusterserving.core.manager;

import io.clusterserving.core.batching.Batcher;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.stats.VersionStats;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A counted reference to an AVAILABLE model version. While any handle is open the version is not
 * closed, so a request finishes on the version it started on. Close it exactly when the work is done
 * (closing twice is harmless).
 */
public final class ServableHandle implements AutoCloseable {
    private static final AtomicIntegerFieldUpdater<ServableHandle> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(ServableHandle.class, "released");

    private final VersionHarness version;
    private final LoadedVersion loaded;
    private volatile int released;

    /** For a version the caller has taken a reference on. */
    ServableHandle(VersionHarness version) {
        this.version = version;
        this.loaded = version.loadedForRequest();
    }

    public String modelName() {
        return version.model.name;
    }

    public long version() {
        return version.version;
    }

    /** The version directory it was loaded from. */
    public Path path() {
        return version.dir;
    }

    public LoadedModel model() {
        return loaded.model();
    }

    /** The model.yaml options in force when this version was loaded. */
    public ModelSettings options() {
        return loaded.options();
    }

    /** The name of the format that loaded it ("onnx"). */
    public String format() {
        return loaded.format();
    }

    /** The batcher when batching is on for this version. */
    public Optional<Batcher> batcher() {
        return Optional.ofNullable(loaded.batcher());
    }

    /** The version's signatures by name, prepared for request validation. */
    public Map<String, ServableSignature> signatures() {
        return loaded.signatures();
    }

    public VersionStats stats() {
        return loaded.stats();
    }

    public VersionMetrics metrics() {
        return loaded.metrics();
    }

    /** "model 'm' version 3", for messages. */
    public String describe() {
        return version.describe();
    }

    @Override
    public void close() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            version.release();
        }
    }
}
