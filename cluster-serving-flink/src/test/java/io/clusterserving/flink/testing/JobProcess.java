package io.clusterserving.flink.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The job in its own JVM ({@link EmbeddedJobMain} on a config file), so a test can {@code kill -9}
 * it mid-stream and start another one on the same config. Its output goes to a log file that
 * failures quote.
 */
public final class JobProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private JobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static JobProcess start(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: a job JVM that starts fast on a busy 2-core machine.
        List<String> command = List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                EmbeddedJobMain.class.getName(), config.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // CLASSPATH, not -cp: ONNX Runtime 1.29 segfaults while initialising when the JVM's command line
        // is long (a 12 KB -cp is enough), and the test class path is that long.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return new JobProcess(builder.start(), log);
    }

    /** Waits until {@code condition} holds; fails quoting the log if the process dies or time runs out. */
    public void await(BooleanSupplier condition, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("job process " + (process.isAlive() ? "too slow" : "died with exit code "
                        + process.exitValue()) + "; log:" + System.lineSeparator() + log());
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no commit of anything in flight. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
