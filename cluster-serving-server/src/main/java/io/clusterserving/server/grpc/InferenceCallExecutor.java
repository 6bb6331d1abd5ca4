package io.clusterserving.server.grpc;

import io.clusterserving.protocol.grpc.inference.GRPCInferenceServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;

import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Picks where a call's handler runs: inference methods on the event loop that read the request (no
 * thread hop, as the REST server does for light models), everything else on the handler pool, so a
 * slow reload or metadata call never stalls a connection's I/O.
 */
final class InferenceCallExecutor implements ServerCallExecutorSupplier {
    /** Runs the handler on the calling (event loop) thread. */
    private static final Executor INLINE = Runnable::run;

    private static final Set<String> INFERENCE_METHODS = Set.of(
            PredictionServiceGrpc.getPredictMethod().getFullMethodName(),
            PredictionServiceGrpc.getClassifyMethod().getFullMethodName(),
            PredictionServiceGrpc.getRegressMethod().getFullMethodName(),
            PredictionServiceGrpc.getMultiInferenceMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        // null = the server's default executor (the handler pool).
        return INFERENCE_METHODS.contains(call.getMethodDescriptor().getFullMethodName()) ? INLINE : null;
    }
}
