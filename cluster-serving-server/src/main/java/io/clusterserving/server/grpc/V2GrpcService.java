package io.clusterserving.server.grpc;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.InputDecoder;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.InferTensorCodec;
import io.clusterserving.protocol.grpc.inference.GRPCInferenceServiceGrpc;
import io.clusterserving.protocol.grpc.inference.ModelInferRequest;
import io.clusterserving.protocol.grpc.inference.ModelInferResponse;
import io.clusterserving.protocol.grpc.inference.ModelMetadataRequest;
import io.clusterserving.protocol.grpc.inference.ModelMetadataResponse;
import io.clusterserving.protocol.grpc.inference.ModelReadyRequest;
import io.clusterserving.protocol.grpc.inference.ModelReadyResponse;
import io.clusterserving.protocol.grpc.inference.ServerLiveRequest;
import io.clusterserving.protocol.grpc.inference.ServerLiveResponse;
import io.clusterserving.protocol.grpc.inference.ServerMetadataRequest;
import io.clusterserving.protocol.grpc.inference.ServerMetadataResponse;
import io.clusterserving.protocol.grpc.inference.ServerReadyRequest;
import io.clusterserving.protocol.grpc.inference.ServerReadyResponse;
import io.grpc.stub.StreamObserver;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code inference.GRPCInferenceService} (KServe V2 / Open Inference Protocol) over an {@link InferenceService}. */
final class V2GrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    static final String SERVER_NAME = "cluster-serving";

    private final InferenceService service;
    private final String serverVersion;

    V2GrpcService(InferenceService service, String serverVersion) {
        this.service = service;
        this.serverVersion = serverVersion;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        UnaryReplies.reply(observer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        UnaryReplies.reply(observer, () -> ServerReadyResponse.newBuilder().setReady(service.isReady()).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        UnaryReplies.reply(observer, () -> ServerMetadataResponse.newBuilder()
                .setName(SERVER_NAME)
                .setVersion(serverVersion)
                .addExtensions("binary_tensor_data")
                .build());
    }

    /** Unknown models are simply not ready: readiness probes want a yes or no, not an error. */
    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        UnaryReplies.reply(observer, () -> {
            ModelSpec spec = spec(request.getName(), request.getVersion());
            boolean ready;
            try {
                ready = service.status(spec).stream().anyMatch(s -> s.state() == VersionState.AVAILABLE);
            } catch (ServingException e) {
                if (e.code() != StatusCode.NOT_FOUND) {
                    throw e;
                }
                ready = false;
            }
            return ModelReadyResponse.newBuilder().setReady(ready).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        UnaryReplies.reply(observer, () -> {
            ModelSpec spec = spec(request.getName(), request.getVersion());
            ModelMetadata md = service.metadata(spec);
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                    .setName(md.modelName())
                    .setPlatform(platform(md.format()));
            if (spec.version() != null) {
                b.addVersions(Long.toString(md.version()));
            } else {
                for (ModelVersionStatus s : service.status(ModelSpec.latest(spec.name()))) {
                    if (s.state() == VersionState.AVAILABLE) {
                        b.addVersions(Long.toString(s.version()));
                    }
                }
            }
            Signature sig = defaultSignature(md);
            if (sig != null) {
                sig.inputs().forEach(t -> b.addInputs(tensorMetadata(t)));
                sig.outputs().forEach(t -> b.addOutputs(tensorMetadata(t)));
            }
            return b.build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        UnaryReplies.replyAsync(observer, () -> {
            ModelSpec spec = spec(request.getModelName(), request.getModelVersion());
            Map<String, Tensor> inputs = InferTensorCodec.inputs(request);
            Set<String> requested = new LinkedHashSet<>();
            for (ModelInferRequest.InferRequestedOutputTensor o : request.getOutputsList()) {
                if (!requested.add(o.getName())) {
                    throw ServingException.invalidArgument("output '%s' is requested twice", o.getName());
                }
            }
            return service.predict(new io.clusterserving.core.service.PredictRequest(spec, InputDecoder.of(inputs),
                    requested)).thenApply(result -> toResponse(request.getId(), requested, result));
        });
    }

    private static ModelInferResponse toResponse(String id, Set<String> requested, PredictResult result) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(result.modelName())
                .setModelVersion(Long.toString(result.version()))
                .setId(id);
        // Requested outputs come back in the order asked for; otherwise in the signature's order.
        Iterable<String> names = requested.isEmpty() ? result.outputs().keySet() : requested;
        for (String name : names) {
            Tensor t = result.outputs().get(name);
            if (t == null) {
                throw ServingException.internal("model returned no output '" + name + "'", null);
            }
            b.addOutputs(InferTensorCodec.outputHeader(name, t));
            b.addRawOutputContents(InferTensorCodec.toRaw(t));
        }
        return b.build();
    }

    private static ModelSpec spec(String name, String version) {
        if (version.isEmpty()) {
            return ModelSpec.latest(name);
        }
        try {
            return ModelSpec.version(name, Long.parseLong(version));
        } catch (NumberFormatException e) {
            throw ServingException.invalidArgument("model version '%s' of model '%s' is not a number", version, name);
        }
    }

    private static Signature defaultSignature(ModelMetadata md) {
        Signature sig = md.signatures().get(Signature.DEFAULT_NAME);
        if (sig == null && !md.signatures().isEmpty()) {
            sig = md.signatures().values().iterator().next();
        }
        return sig;
    }

    private static ModelMetadataResponse.TensorMetadata tensorMetadata(TensorSpec spec) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(spec.name())
                .setDatatype(spec.dtype().v2Name());
        if (spec.hasKnownRank()) {
            for (long d : spec.shape()) {
                b.addShape(d);
            }
        }
        return b.build();
    }

    /** Triton's platform names for the formats it shares with us; our own format name otherwise. */
    static String platform(String format) {
        if (format == null) {
            return "";
        }
        return switch (format) {
            case "onnx" -> "onnxruntime_onnx";
            case "tensorflow" -> "tensorflow_savedmodel";
            case "torchscript" -> "pytorch_libtorch";
            default -> format;
        };
    }

}
