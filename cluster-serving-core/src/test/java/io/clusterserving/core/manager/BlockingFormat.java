package io.clusterserving.core.manager;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A format for the manager's concurrency tests whose loads and predictions the test holds at gates, to
 * force the interleavings it wants. Version v's model answers {@code y = v * x}, so a caller can tell
 * which version served it. Anything a correct manager never does — predicting on a closed model, closing
 * one twice — is recorded in {@link #violations} rather than thrown into a thread nobody watches.
 */
final class BlockingFormat implements ModelFormat {
    static final String FILE = "model.blk";

    /** A load of version v waits here while a gate is set for v. */
    final Map<Long, CountDownLatch> loadGates = new ConcurrentHashMap<>();
    /** Versions whose loads reached {@code load}, in order. */
    final BlockingQueue<Long> loadsStarted = new LinkedBlockingQueue<>();
    /** Versions whose loads fail. */
    final Set<Long> broken = ConcurrentHashMap.newKeySet();
    final Map<Long, AtomicInteger> loads = new ConcurrentHashMap<>();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    /** Predictions wait here while it is set; each arrival is announced on {@link #predictsHeld}. */
    volatile CountDownLatch predictGate;
    final BlockingQueue<Long> predictsHeld = new LinkedBlockingQueue<>();

    /** Writes {@code base/<version>/model.blk}. */
    static void writeVersion(Path base, long version) {
        try {
            Path dir = Files.createDirectories(base.resolve(Long.toString(version)));
            Files.writeString(dir.resolve(FILE), Long.toString(version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int loadsOf(long version) {
        AtomicInteger n = loads.get(version);
        return n == null ? 0 : n.get();
    }

    @Override
    public String name() {
        return "blocking";
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(FILE::equals);
    }

    @Override
    public LoadedModel load(ModelFiles files, LoadContext context) throws Exception {
        long version = context.version();
        loads.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
        loadsStarted.add(version);
        CountDownLatch gate = loadGates.get(version);
        if (gate != null && !gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load gate of version " + version + " never opened");
        }
        if (broken.contains(version)) {
            throw ServingException.invalidArgument("version %d is broken", version);
        }
        open.incrementAndGet();
        return new VersionModel(version);
    }

    final class VersionModel implements LoadedModel {
        private final long version;
        private volatile boolean closed;

        VersionModel(long version) {
            this.version = version;
        }

        @Override
        public Map<String, Signature> signatures() {
            return Map.of(Signature.DEFAULT_NAME, new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
                    List.of(new TensorSpec("x", DataType.FP32, new long[] {-1})),
                    List.of(new TensorSpec("y", DataType.FP32, new long[] {-1}))));
        }

        @Override
        public Map<String, Tensor> predict(String signatureName, Map<String, Tensor> inputs, Set<String> filter) {
            CountDownLatch gate = predictGate;
            if (gate != null) {
                predictsHeld.add(version);
                try {
                    if (!gate.await(60, TimeUnit.SECONDS)) {
                        violations.add("predict gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (closed) {
                violations.add("version " + version + " predicted after it was closed");
            }
            float x = inputs.get("x").getFloat(0);
            return Map.of("y", Tensor.ofFloats(new long[] {1}, version * x));
        }

        @Override
        public void close() {
            if (closed) {
                violations.add("version " + version + " closed twice");
            }
            closed = true;
            closes.incrementAndGet();
            open.decrementAndGet();
        }
    }
}
