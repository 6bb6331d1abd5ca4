package io.clusterserving.core.service;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.stats.ServingStats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The one API every frontend (REST, V2, gRPC, queue workers) calls. Errors are
 * {@link ServingException}s with a canonical code — thrown directly or completing the future
 * exceptionally — never anything else.
 */
public interface InferenceService extends AutoCloseable {

    /** Runs a prediction; the future fails with a ServingException naming what was wrong. */
    CompletableFuture<PredictResult> predict(PredictRequest request);

    /**
     * Runs a batch the caller has already formed: one future per request, in the same order, each with
     * that request's result or its own error (a bad request never fails the others). A service may run
     * requests for the same version and signature as one model call, on {@code modelRunner}
     * ({@code Runnable::run} for the caller's thread); this default runs them one by one as
     * {@link #predict} does.
     */
    default List<CompletableFuture<PredictResult>> predictAll(List<PredictRequest> requests, Executor modelRunner) {
        List<CompletableFuture<PredictResult>> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            answers.add(predict(requests.get(i)));
        }
        return answers;
    }

    /**
     * TF Serving's Classify on a classify signature; the future fails with a ServingException
     * (UNIMPLEMENTED where the service or the model's format has no classify).
     */
    default CompletableFuture<ClassificationResult> classify(ClassifyRequest request) {
        return CompletableFuture.failedFuture(ServingException.unimplemented("classify is not supported here"));
    }

    /**
     * TF Serving's Regress on a regress signature; the future fails with a ServingException
     * (UNIMPLEMENTED where the service or the model's format has no regress).
     */
    default CompletableFuture<RegressionResult> regress(RegressRequest request) {
        return CompletableFuture.failedFuture(ServingException.unimplemented("regress is not supported here"));
    }

    /** The served version's metadata (latest available unless the spec names a version or label). */
    ModelMetadata metadata(ModelSpec spec);

    /**
     * Status of a model's versions: every known version when the spec names none, else just that one.
     * NOT_FOUND for unknown models, versions and labels.
     */
    List<ModelVersionStatus> status(ModelSpec spec);

    /** Every model the service knows, in name order. */
    List<String> modelNames();

    /** Serving statistics per version of a model (Lublinsky's serving info). */
    List<ServingStats> stats(String modelName);

    /** True when every configured model has at least one AVAILABLE version. */
    boolean isReady();

    @Override
    void close();
}
