package io.clusterserving.server.grpc;

import io.clusterserving.core.config.tfserving.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import io.clusterserving.core.config.tfserving.ModelConfig;
import io.clusterserving.core.config.tfserving.ModelConfigList;
import io.clusterserving.core.config.tfserving.ModelServerConfig;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.protocol.grpc.tfserving.ModelServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.ReloadConfigRequest;
import io.clusterserving.protocol.grpc.tfserving.ReloadConfigResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelReloadGrpcTest {

    @Test
    void reloadReplacesTheServedModels(@TempDir Path dir) throws Exception {
        try (ArithmeticServing serving = new ArithmeticServing(dir);
             GrpcServer server = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, 1 << 20, 2, true), serving.service)) {
            Path added = ArithmeticFormat.writeModel(dir, "added", 3, "half_plus_two");
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                var stub = ModelServiceGrpc.newBlockingStub(ch);
                ReloadConfigResponse r = stub.handleReloadConfigRequest(ReloadConfigRequest.newBuilder()
                        .setConfig(ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
                                .addConfig(ModelConfig.newBuilder().setName("half_plus_two")
                                        .setBasePath(dir.resolve("half_plus_two").toString()))
                                .addConfig(ModelConfig.newBuilder().setName("added").setBasePath(added.toString())
                                        .setModelPlatform("arith")
                                        .setModelVersionPolicy(ServableVersionPolicy.newBuilder().setAll(
                                                ServableVersionPolicy.All.getDefaultInstance())))))
                        .build());
                assertThat(r.getStatus().getErrorCodeValue()).isZero();
                assertThat(serving.service.awaitReady(Duration.ofSeconds(20))).isTrue();
                assertThat(serving.service.modelNames()).contains("added", "half_plus_two").doesNotContain("scorer");
                assertThat(serving.service.status(ModelSpec.latest("added")))
                        .anySatisfy(s -> {
                            assertThat(s.version()).isEqualTo(3);
                            assertThat(s.state()).isEqualTo(VersionState.AVAILABLE);
                        });

                assertThatThrownBy(() -> stub.handleReloadConfigRequest(ReloadConfigRequest.newBuilder()
                        .setConfig(ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
                                .addConfig(ModelConfig.newBuilder().setBasePath("/tmp")))).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
                // As TF Serving: a served model list cannot be replaced by a custom config.
                assertThatThrownBy(() -> stub.handleReloadConfigRequest(ReloadConfigRequest.newBuilder()
                        .setConfig(ModelServerConfig.newBuilder()
                                .setCustomModelConfig(com.google.protobuf.Any.getDefaultInstance())).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
                assertThat(serving.service.modelNames()).contains("added", "half_plus_two");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
