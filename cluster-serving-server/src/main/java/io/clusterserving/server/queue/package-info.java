/**
 * Cluster Serving over a queue, from the server's side: {@link io.clusterserving.server.queue.QueueInferenceService}
 * (the REST frontend's service when it forwards predict bodies to Redis or Kafka instead of running models),
 * and {@link io.clusterserving.server.queue.QueueBackend} (which queue, from a {@code redis://} or {@code kafka://}
 * URI). The worker's side is {@code io.clusterserving.queue.worker.QueueScorer}, run by the Flink job.
 */
package io.clusterserving.server.queue;
