package io.clusterserving.flink.sql.session;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.core.tensor.Tensor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One task's model: a {@link LocalInferenceService} serving the directory once (no polling), opened in a
 * function's {@code open()} and closed in its {@code close()}, so rows never pay for a load.
 */
public final class ModelSession implements AutoCloseable {
    private final ModelLocation location;
    private final LocalInferenceService service;
    private final ModelSpec spec;
    private final Signature signature;

    private ModelSession(ModelLocation location, LocalInferenceService service, ModelSpec spec, Signature signature) {
        this.location = location;
        this.service = service;
        this.spec = spec;
        this.signature = signature;
    }

    /** Loads the model and waits until it is available; fails naming the load error otherwise. */
    public static ModelSession open(ModelSessionSettings settings) {
        ModelLocation location = resolve(settings);
        String name = location.defaultModel();
        LocalInferenceService service = LocalInferenceService.builder()
                .models(location.models().stream().filter(m -> m.name().equals(name)).toList())
                .fileSystemPollSeconds(0)
                .maxLoadRetries(0)
                .intraOpThreads(Math.max(1, settings.intraOpThreads()))
                .interOpThreads(1)
                .loaderThreads(1)
                .build();
        try {
            boolean settled = awaitLoaded(service, name, settings.loadTimeout());
            if (!service.isReady()) {
                String status = describe(service.status(ModelSpec.latest(name)));
                throw settled
                        ? ServingException.failedPrecondition("model '%s' from %s failed to load: %s", name,
                                settings.modelPath(), status)
                        : ServingException.unavailable("model '%s' from %s did not become available within %s: %s",
                                name, settings.modelPath(), settings.loadTimeout(), status);
            }
            ModelSpec spec = ModelSpec.latest(name).withSignature(settings.signatureName());
            ModelMetadata metadata = service.metadata(spec);
            String signatureName = settings.signatureName() != null ? settings.signatureName() : Signature.DEFAULT_NAME;
            Signature signature = metadata.signatures().get(signatureName);
            if (signature == null) {
                throw ServingException.invalidArgument("model '%s' has no signature '%s'; signatures: %s", name,
                        signatureName, metadata.signatures().keySet());
            }
            return new ModelSession(location, service, spec, signature);
        } catch (RuntimeException e) {
            service.close();
            location.close();
            throw e;
        }
    }

    /** The one model the path names: a repository of several needs the model name to choose. */
    private static ModelLocation resolve(ModelSessionSettings settings) {
        if (settings.modelPath() == null || settings.modelPath().isBlank()) {
            throw ServingException.invalidArgument("no model path: set the 'modelPath' job parameter "
                    + "(pipeline.global-job-parameters) or the 'model-path' option");
        }
        ModelLocation location = ModelLocation.resolve(settings.modelPath(), settings.modelName());
        if (location.defaultModel() == null) {
            location.close();
            throw ServingException.notFound("model path %s is a repository of several models %s; choose one with "
                    + "the 'model-name' option", settings.modelPath(), location.modelNames());
        }
        return location;
    }

    public Signature signature() {
        return signature;
    }

    public String modelName() {
        return spec.name();
    }

    /** Predicts on the caller's thread; throws the core's ServingException. */
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        try {
            return predictAsync(inputs).get().outputs();
        } catch (ExecutionException e) {
            throw ServingException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServingException.unavailable("interrupted while predicting with model '%s'", spec.name());
        }
    }

    public CompletableFuture<PredictResult> predictAsync(Map<String, Tensor> inputs) {
        try {
            return service.predict(PredictRequest.of(spec, inputs));
        } catch (CompletionException e) {
            return CompletableFuture.failedFuture(ServingException.from(e.getCause()));
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            location.close();
        }
    }

    /** Until the model is available or every version's load has ended in an error: a broken model fails fast. */
    private static boolean awaitLoaded(LocalInferenceService service, String name, Duration timeout) {
        try {
            return service.manager().awaitCondition(() -> service.isReady() || allFailed(service, name), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean allFailed(LocalInferenceService service, String name) {
        List<ModelVersionStatus> statuses;
        try {
            statuses = service.status(ModelSpec.latest(name));
        } catch (RuntimeException e) {
            return false; // not known yet
        }
        return !statuses.isEmpty() && statuses.stream()
                .allMatch(s -> s.state() == VersionState.END && s.errorCode() != StatusCode.OK);
    }

    private static String describe(List<ModelVersionStatus> statuses) {
        if (statuses.isEmpty()) {
            return "no version found";
        }
        StringBuilder text = new StringBuilder();
        for (ModelVersionStatus s : statuses) {
            text.append(text.isEmpty() ? "" : "; ").append("version ").append(s.version()).append(' ').append(s.state());
            if (s.errorMessage() != null && !s.errorMessage().isEmpty()) {
                text.append(" (").append(s.errorMessage()).append(')');
            }
        }
        return text.toString();
    }
}
