package io.clusterserving.server.grpc;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelServerConfigRules;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.protocol.grpc.ModelSpecCodec;
import io.clusterserving.protocol.grpc.ModelStatusCodec;
import io.clusterserving.protocol.grpc.tensorflow.Code;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusResponse;
import io.clusterserving.protocol.grpc.tfserving.ModelServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.ReloadConfigRequest;
import io.clusterserving.protocol.grpc.tfserving.ReloadConfigResponse;
import io.clusterserving.protocol.grpc.tfserving.StatusProto;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Optional;

/** {@code tensorflow.serving.ModelService}: version status and config reload. */
final class ModelGrpcService extends ModelServiceGrpc.ModelServiceImplBase {
    private final InferenceService service;
    private final ModelReloader reloader; // null: the service cannot reload

    ModelGrpcService(InferenceService service, ModelReloader reloader) {
        this.service = service;
        this.reloader = reloader;
    }

    @Override
    public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> observer) {
        UnaryReplies.reply(observer, () -> {
            GetModelStatusResponse.Builder b = GetModelStatusResponse.newBuilder();
            service.status(ModelSpecCodec.toCore(request.getModelSpec()))
                    .forEach(s -> b.addModelVersionStatus(ModelStatusCodec.toProto(s)));
            return b.build();
        });
    }

    @Override
    public void handleReloadConfigRequest(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> observer) {
        UnaryReplies.reply(observer, () -> {
            if (reloader == null) {
                throw ServingException.unimplemented(
                        "this server's models cannot be reloaded over gRPC (it does not run them in-process)");
            }
            Optional<List<ModelConfig>> models = ModelServerConfigRules.reload(request.getConfig());
            models.ifPresent(reloader::reloadModels);
            return ReloadConfigResponse.newBuilder()
                    .setStatus(StatusProto.newBuilder().setErrorCode(Code.OK))
                    .build();
        });
    }
}
