package io.clusterserving.flink.sql.session;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a task loads its model: where, under which name, which signature, and how many native threads.
 *
 * @param modelPath      base, version or repository directory; null = take it from the job parameter
 * @param modelName      the name the model is served under, or the model a repository of several serves;
 *                       null = the directory's name (the rule is core.repository.ModelLocation's)
 * @param signatureName  null = the model's default signature
 * @param intraOpThreads native threads per inference (explicit, never "all cores")
 * @param loadTimeout    how long open() waits for the model to become available
 */
public record ModelSessionSettings(String modelPath, String modelName, String signatureName, int intraOpThreads,
                            Duration loadTimeout) implements Serializable {

    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofMinutes(2);

    public ModelSessionSettings withModelPath(String path) {
        return new ModelSessionSettings(path, modelName, signatureName, intraOpThreads, loadTimeout);
    }
}
