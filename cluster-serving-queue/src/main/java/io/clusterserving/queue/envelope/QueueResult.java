package io.clusterserving.queue.envelope;

import io.clusterserving.core.error.StatusCode;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one request: exactly one of {@code value} (the JSON body the REST API would answer,
 * e.g. {@code {"predictions": [...]}}) or {@code error} (a message naming the problem).
 *
 * @param replyTo routing only, never part of the stored result: the Redis stream the request asked
 *                its result to be XADDed to, or null
 * @param code    optional, errors only: the canonical status of the error (e.g. NOT_FOUND for an unknown
 *                model), so a REST frontend over the queue can answer TF Serving's HTTP status; stored as
 *                the field {@code code} (the status name). Null = unknown, which frontends treat as
 *                INVALID_ARGUMENT (a bad request). Results written before this field existed stay valid.
 * @param ackId   routing only, never part of the stored result: the request's {@link QueueRequest#ackId()},
 *                acknowledged once this result is written; null for queues without acknowledgements
 */
public record QueueResult(String uri, String model, Long version, String value, String error, String replyTo,
                          StatusCode code, String ackId) {
    public QueueResult {
        Objects.requireNonNull(uri, "uri");
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("a result for uri '" + uri + "' needs exactly one of value or error");
        }
        if (value != null) {
            code = null; // a code only qualifies an error
        }
    }

    public QueueResult(String uri, String model, Long version, String value, String error, String replyTo,
                       StatusCode code) {
        this(uri, model, version, value, error, replyTo, code, null);
    }

    public QueueResult(String uri, String model, Long version, String value, String error, String replyTo) {
        this(uri, model, version, value, error, replyTo, null, null);
    }

    public QueueResult(String uri, String model, Long version, String value, String error) {
        this(uri, model, version, value, error, null, null, null);
    }

    /** A successful result for {@code request}, routed to its reply stream if it named one. */
    public static QueueResult success(QueueRequest request, String valueJson) {
        return success(request, request.model(), request.version(), valueJson);
    }

    /** A successful result for {@code request} that names the model and version that produced it. */
    public static QueueResult success(QueueRequest request, String model, Long version, String valueJson) {
        return new QueueResult(request.uri(), model, version, valueJson, null, request.replyTo(), null,
                request.ackId());
    }

    /** A failed result for {@code request}, routed to its reply stream if it named one. */
    public static QueueResult failure(QueueRequest request, String message) {
        return new QueueResult(request.uri(), request.model(), request.version(), null, message, request.replyTo(),
                null, request.ackId());
    }

    /** A failed result for {@code request} that names the error's canonical status. */
    public static QueueResult failure(QueueRequest request, StatusCode code, String message) {
        return failure(request, request.model(), request.version(), code, message);
    }

    /** A failed result for {@code request} naming the error's status and the model that failed it, when known. */
    public static QueueResult failure(QueueRequest request, String model, Long version, StatusCode code,
                                      String message) {
        return new QueueResult(request.uri(), model, version, null, message, request.replyTo(), code,
                request.ackId());
    }

    public static QueueResult failure(String uri, String message) {
        return new QueueResult(uri, null, null, null, message, null);
    }

    public boolean isError() {
        return error != null;
    }

    public QueueResult withModel(String modelName, Long modelVersion) {
        return new QueueResult(uri, modelName, modelVersion, value, error, replyTo, code, ackId);
    }

    public QueueResult withCode(StatusCode errorCode) {
        return new QueueResult(uri, model, version, value, error, replyTo, errorCode, ackId);
    }

    /** The wire form of {@link #code()}: the status name, or null. */
    public String codeName() {
        return code == null ? null : code.name();
    }

    /** Parses a stored {@code code} field; null for absent or unknown names (never fails a result). */
    public static StatusCode parseCode(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return StatusCode.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
