package io.clusterserving.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.tensor.Tensor;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One small client API over TF Serving's REST and gRPC protocols. Failures are
 * {@link ServingException}s carrying the server's status code and message — thrown by the blocking
 * methods, completing the futures of the async ones. Thread-safe; close it when done.
 * <p>
 * The async variants complete their futures on the client's I/O thread: callbacks attached to them
 * must not block (chain further async calls, or hand blocking work to an executor of your own).
 */
public interface ServingClient extends AutoCloseable {

    /** {@code http://host:port} (TF Serving REST) or {@code grpc://host:port} (TF Serving gRPC). */
    static ServingClient connect(URI uri) {
        return connect(uri, ClientSettings.defaults());
    }

    static ServingClient connect(URI uri, ClientSettings settings) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> new RestServingClient(uri, settings);
            case "grpc" -> new GrpcServingClient(uri, settings);
            default -> throw new IllegalArgumentException(
                    "unsupported scheme in '" + uri + "'; use http://host:port (REST) or grpc://host:port (gRPC)");
        };
    }

    /** Encodes a request once so {@link #predictAsync(PreparedRequest)} can send it repeatedly. */
    PreparedRequest prepare(ModelSpec model, Map<String, Tensor> inputs);

    CompletableFuture<Prediction> predictAsync(PreparedRequest request);

    default CompletableFuture<Prediction> predictAsync(ModelSpec model, Map<String, Tensor> inputs) {
        try {
            return predictAsync(prepare(model, inputs));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(ServingException.from(e));
        }
    }

    default Prediction predict(ModelSpec model, Map<String, Tensor> inputs) {
        return await(predictAsync(model, inputs));
    }

    /** Every version's status when the spec names none, else that version's. */
    CompletableFuture<List<ModelVersionStatus>> statusAsync(ModelSpec model);

    default List<ModelVersionStatus> status(ModelSpec model) {
        return await(statusAsync(model));
    }

    /** The served version's signatures; {@link ModelMetadata#format()} is null (the protocols do not say). */
    CompletableFuture<ModelMetadata> metadataAsync(ModelSpec model);

    default ModelMetadata metadata(ModelSpec model) {
        return await(metadataAsync(model));
    }

    @Override
    void close();

    /** Joins a future, rethrowing its failure as the ServingException it carries. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw ServingException.from(e.getCause() == null ? e : e.getCause());
        }
    }
}
