package io.clusterserving.protocol.predict;

import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;

import java.io.OutputStream;

/**
 * One REST predict body read for the core: the request to run, and how to write the answer the REST
 * API gives for it (the layout of the answer follows the body's, so the two travel together).
 */
public interface PredictCall {

    PredictApi api();

    PredictRequest request();

    /**
     * Writes the REST answer body for {@code result}.
     *
     * @return the length of the answer's JSON part when binary tensor data follows it (V2's binary
     *         extension, to be sent as {@code Inference-Header-Content-Length}); -1 for an all-JSON answer
     */
    int writeAnswer(PredictResult result, OutputStream out);
}
