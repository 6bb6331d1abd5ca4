package io.clusterserving.server.grpc;

import com.google.protobuf.Any;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.InputDecoder;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.ModelSpecCodec;
import io.clusterserving.protocol.grpc.SignatureDefCodec;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.tensorflow.TensorProto;
import io.clusterserving.protocol.grpc.tfserving.ClassificationRequest;
import io.clusterserving.protocol.grpc.tfserving.ClassificationResponse;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataResponse;
import io.clusterserving.protocol.grpc.tfserving.InferenceResult;
import io.clusterserving.protocol.grpc.tfserving.InferenceTask;
import io.clusterserving.protocol.grpc.tfserving.MultiInferenceRequest;
import io.clusterserving.protocol.grpc.tfserving.MultiInferenceResponse;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictResponse;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.RegressionRequest;
import io.clusterserving.protocol.grpc.tfserving.RegressionResponse;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code tensorflow.serving.PredictionService} over an {@link InferenceService}. */
final class PredictionGrpcService extends PredictionServiceGrpc.PredictionServiceImplBase {
    private final InferenceService service;
    private final ClassifyRegressMethods classifyRegress;

    PredictionGrpcService(InferenceService service) {
        this.service = service;
        this.classifyRegress = new ClassifyRegressMethods(service);
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
        UnaryReplies.replyAsync(observer, () -> {
            ModelSpec spec = ModelSpecCodec.toCore(request.getModelSpec());
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, TensorProto> e : request.getInputsMap().entrySet()) {
                inputs.put(e.getKey(), TensorProtoCodec.toTensor(e.getKey(), e.getValue()));
            }
            Set<String> filter = new HashSet<>(request.getOutputFilterList());
            if (filter.size() != request.getOutputFilterCount()) {
                throw ServingException.invalidArgument("output_filter names an output twice: %s",
                        request.getOutputFilterList());
            }
            return service.predict(new io.clusterserving.core.service.PredictRequest(spec,
                    InputDecoder.of(inputs), filter)).thenApply(PredictionGrpcService::toResponse);
        });
    }

    private static PredictResponse toResponse(PredictResult result) {
        PredictResponse.Builder b = PredictResponse.newBuilder()
                .setModelSpec(ModelSpecCodec.served(result.modelName(), result.version(), result.signature().name()));
        result.outputs().forEach((name, tensor) -> b.putOutputs(name, TensorProtoCodec.toProto(tensor)));
        return b.build();
    }

    @Override
    public void getModelMetadata(GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> observer) {
        UnaryReplies.reply(observer, () -> {
            ModelSpec spec = ModelSpecCodec.toCore(request.getModelSpec());
            if (request.getMetadataFieldCount() == 0) {
                throw ServingException.invalidArgument(
                        "GetModelMetadataRequest must name at least one metadata_field; supported: %s",
                        SignatureDefCodec.SIGNATURE_DEF_FIELD);
            }
            for (String field : request.getMetadataFieldList()) {
                if (!SignatureDefCodec.SIGNATURE_DEF_FIELD.equals(field)) {
                    throw ServingException.invalidArgument("metadata_field '%s' is not supported; supported: %s",
                            field, SignatureDefCodec.SIGNATURE_DEF_FIELD);
                }
            }
            ModelMetadata md = service.metadata(spec);
            return GetModelMetadataResponse.newBuilder()
                    .setModelSpec(ModelSpecCodec.served(md.modelName(), md.version(), null))
                    .putMetadata(SignatureDefCodec.SIGNATURE_DEF_FIELD,
                            Any.pack(SignatureDefCodec.toProto(md.signatures())))
                    .build();
        });
    }

    @Override
    public void classify(ClassificationRequest request, StreamObserver<ClassificationResponse> observer) {
        UnaryReplies.replyAsync(observer, () -> classifyRegress.classify(ModelSpecCodec.toCore(request.getModelSpec()),
                request.getInput()).thenApply(a -> ClassificationResponse.newBuilder()
                .setModelSpec(a.servedBy()).setResult(a.result()).build()));
    }

    @Override
    public void regress(RegressionRequest request, StreamObserver<RegressionResponse> observer) {
        UnaryReplies.replyAsync(observer, () -> classifyRegress.regress(ModelSpecCodec.toCore(request.getModelSpec()),
                request.getInput()).thenApply(a -> RegressionResponse.newBuilder()
                .setModelSpec(a.servedBy()).setResult(a.result()).build()));
    }

    /**
     * Runs each task on the shared input; like TF Serving, all tasks must address one model. Tasks that name
     * no version run on the version the first of them resolved, so one response never mixes versions.
     */
    @Override
    public void multiInference(MultiInferenceRequest request, StreamObserver<MultiInferenceResponse> observer) {
        UnaryReplies.replyAsync(observer, () -> {
            if (request.getTasksCount() == 0) {
                throw ServingException.invalidArgument("MultiInferenceRequest has no tasks");
            }
            String model = request.getTasks(0).getModelSpec().getName();
            Set<String> signatures = new HashSet<>();
            Long pinned = null;
            List<CompletableFuture<InferenceResult>> results = new ArrayList<>();
            for (int i = 0; i < request.getTasksCount(); i++) {
                InferenceTask task = request.getTasks(i);
                ModelSpec spec = ModelSpecCodec.toCore(task.getModelSpec());
                if (!spec.name().equals(model)) {
                    throw ServingException.invalidArgument(
                            "tasks[%d] names model '%s'; every task must address the same model ('%s')", i,
                            spec.name(), model);
                }
                String sig = spec.signatureName() != null ? spec.signatureName() : Signature.DEFAULT_NAME;
                if (!signatures.add(sig)) {
                    throw ServingException.invalidArgument("tasks[%d] repeats signature '%s'", i, sig);
                }
                if (spec.version() == null && spec.label() == null) {
                    if (pinned == null) {
                        pinned = service.metadata(spec).version();
                    }
                    spec = new ModelSpec(spec.name(), pinned, null, spec.signatureName());
                }
                results.add(runTask(i, task, spec, request));
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
                MultiInferenceResponse.Builder b = MultiInferenceResponse.newBuilder();
                results.forEach(f -> b.addResults(f.join()));
                return b.build();
            });
        });
    }

    private CompletableFuture<InferenceResult> runTask(int i, InferenceTask task, ModelSpec spec,
                                                       MultiInferenceRequest request) {
        String method = task.getMethodName();
        if (Signature.CLASSIFY_METHOD.equals(method)) {
            return classifyRegress.classify(spec, request.getInput()).thenApply(a -> InferenceResult.newBuilder()
                    .setModelSpec(a.servedBy()).setClassificationResult(a.result()).build());
        }
        if (Signature.REGRESS_METHOD.equals(method)) {
            return classifyRegress.regress(spec, request.getInput()).thenApply(a -> InferenceResult.newBuilder()
                    .setModelSpec(a.servedBy()).setRegressionResult(a.result()).build());
        }
        throw ServingException.unimplemented("tasks[%d] has method_name '%s'; MultiInference runs %s and %s only",
                i, method, Signature.CLASSIFY_METHOD, Signature.REGRESS_METHOD);
    }
}
