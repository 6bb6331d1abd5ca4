package io.clusterserving.queue.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test suite's in-process KRaft broker as a process of its own, for scripts that need a Kafka
 * without a Kafka distribution (scripts/cluster-benchmarks.sh):
 * {@code java ... StandaloneKafka ADDRESS_FILE PARTITIONS TOPIC...} creates the topics, writes the
 * bootstrap address to ADDRESS_FILE and runs until killed.
 */
public final class StandaloneKafka {
    private StandaloneKafka() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StandaloneKafka ADDRESS_FILE PARTITIONS [TOPIC...]");
            System.exit(2);
        }
        KafkaBroker broker = KafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("closing the broker failed: " + e);
            }
        }));
        String[] topics = java.util.Arrays.copyOfRange(args, 2, args.length);
        if (topics.length > 0) {
            broker.createTopics(Integer.parseInt(args[1]), topics);
        }
        Path address = Path.of(args[0]);
        Path partial = address.resolveSibling(address.getFileName() + ".tmp");
        Files.writeString(partial, broker.bootstrapServers());
        Files.move(partial, address, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Kafka at " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
