package io.clusterserving.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.ModelSpecCodec;
import io.clusterserving.protocol.grpc.ModelStatusCodec;
import io.clusterserving.protocol.grpc.SignatureDefCodec;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataResponse;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusResponse;
import io.clusterserving.protocol.grpc.tfserving.ModelServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictResponse;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.SignatureDefMap;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** TF Serving's gRPC {@code PredictionService} / {@code ModelService}, over one plaintext channel. */
public final class GrpcServingClient implements ServingClient {
    private final ManagedChannel channel;
    private final PredictionServiceGrpc.PredictionServiceStub prediction;
    private final ModelServiceGrpc.ModelServiceStub models;
    private final ClientSettings settings;

    /** {@code grpc://host[:port]}; the port defaults to TF Serving's 8500. */
    public GrpcServingClient(URI uri, ClientSettings settings) {
        this(uri.getHost(), uri.getPort() < 0 ? 8500 : uri.getPort(), settings);
    }

    public GrpcServingClient(String host, int port, ClientSettings settings) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("gRPC address has no host");
        }
        this.settings = settings;
        this.channel = NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .maxInboundMessageSize(settings.maxMessageBytes())
                // Replies complete their futures on the channel's I/O thread, as the REST client's do:
                // a hop to another pool per reply costs more than decoding a small reply.
                .directExecutor()
                .build();
        this.prediction = PredictionServiceGrpc.newStub(channel);
        this.models = ModelServiceGrpc.newStub(channel);
    }

    /** Numeric inputs travel in tensor_content (no per-element encoding), strings in string_val. */
    @Override
    public PreparedRequest prepare(ModelSpec model, Map<String, Tensor> inputs) {
        PredictRequest.Builder b = PredictRequest.newBuilder().setModelSpec(ModelSpecCodec.toProto(model));
        inputs.forEach((name, t) -> b.putInputs(name, TensorProtoCodec.toProto(t)));
        PredictRequest request = b.build();
        return new PreparedRequest(this, model, request, request.getSerializedSize());
    }

    @Override
    public CompletableFuture<Prediction> predictAsync(PreparedRequest request) {
        PredictRequest proto = request.encodedFor(this, PredictRequest.class);
        CompletableFuture<PredictResponse> f = new CompletableFuture<>();
        prediction.withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS).predict(proto, observer(f));
        return f.thenApply(GrpcServingClient::toPrediction);
    }

    private static Prediction toPrediction(PredictResponse r) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        r.getOutputsMap().forEach((name, proto) -> outputs.put(name, TensorProtoCodec.toTensor(name, proto)));
        var spec = r.getModelSpec();
        return new Prediction(spec.getName(), spec.hasVersion() ? spec.getVersion().getValue() : null,
                spec.getSignatureName().isEmpty() ? null : spec.getSignatureName(), outputs);
    }

    @Override
    public CompletableFuture<List<ModelVersionStatus>> statusAsync(ModelSpec model) {
        return GrpcServingClient.<GetModelStatusResponse, List<ModelVersionStatus>>call(f -> models.withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(ModelSpecCodec.toProto(model))
                        .build(), observer(f)), r -> r.getModelVersionStatusList().stream()
                .map(s -> ModelStatusCodec.toCore(model.name(), s)).toList());
    }

    @Override
    public CompletableFuture<ModelMetadata> metadataAsync(ModelSpec model) {
        return GrpcServingClient.<GetModelMetadataResponse, ModelMetadata>call(f -> prediction.withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(ModelSpecCodec.toProto(model))
                        .addMetadataField(SignatureDefCodec.SIGNATURE_DEF_FIELD).build(), observer(f)), r -> {
            try {
                SignatureDefMap map = r.getMetadataOrThrow(SignatureDefCodec.SIGNATURE_DEF_FIELD)
                        .unpack(SignatureDefMap.class);
                return new ModelMetadata(r.getModelSpec().getName(), r.getModelSpec().getVersion().getValue(), null,
                        SignatureDefCodec.toCore(map));
            } catch (Exception e) {
                throw new ServingException(StatusCode.INTERNAL, "server sent unreadable signature_def: " + e, e);
            }
        });
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static <R, T> CompletableFuture<T> call(java.util.function.Consumer<CompletableFuture<R>> start,
                                                    Function<R, T> convert) {
        CompletableFuture<R> f = new CompletableFuture<>();
        try {
            start.accept(f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(ServingException.from(e));
        }
        return f.thenApply(convert);
    }

    /** Completes the future with the reply, or with a ServingException of the same-named code. */
    private static <R> StreamObserver<R> observer(CompletableFuture<R> f) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(toServingException(t));
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static ServingException toServingException(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            io.grpc.Status s = sre.getStatus();
            String message = s.getDescription() != null ? s.getDescription() : s.getCode().name();
            return new ServingException(ModelStatusCodec.statusCode(s.getCode().value()), message, t);
        }
        return ServingException.from(t);
    }
}
