package io.clusterserving.flink.testing;

import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisTrustStore;
import io.clusterserving.queue.testing.TlsCertificates;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free port without persistence, started and killed by the
 * test. Fails with a message saying how to install it when the binary is missing. {@link #startTls}
 * serves TLS only, with a certificate from a throw-away CA.
 */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    private final TlsCertificates tls;

    private RedisProcess(Process process, int port, Path dir, TlsCertificates tls) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.tls = tls;
    }

    public static RedisProcess start() throws IOException, InterruptedException {
        return start(null);
    }

    /** TLS only (no plain port); clients need the trust store of {@code certificates} and show no certificate. */
    public static RedisProcess startTls(TlsCertificates certificates) throws IOException, InterruptedException {
        return start(certificates);
    }

    private static RedisProcess start(TlsCertificates tls) throws IOException, InterruptedException {
        String binary = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server is not installed; run: apt-get install -y redis-server"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("cs-flink-redis");
        List<String> command = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()));
        if (tls == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", tls.serverCertificate().toString(),
                    "--tls-key-file", tls.serverKey().toString(),
                    "--tls-ca-cert-file", tls.caCertificate().toString(),
                    "--tls-auth-clients", "no"));
        }
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisProcess redis = new RedisProcess(p, port, dir, tls);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.accepts()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}, as config.yaml's {@code redisUrl} takes it (TLS: with redisSecureEnabled). */
    public String url() {
        return "127.0.0.1:" + port;
    }

    /** A client endpoint; with TLS it trusts the server's CA. */
    public RedisEndpoint endpoint() {
        if (tls == null) {
            return RedisEndpoint.of("redis://" + url());
        }
        return RedisEndpoint.of("rediss://" + url())
                .withTrustStore(new RedisTrustStore(tls.trustStore(), tls.trustStorePassword()));
    }

    /** The TLS files of a {@link #startTls} server. */
    public TlsCertificates certificates() {
        if (tls == null) {
            throw new IllegalStateException("this redis-server was started without TLS");
        }
        return tls;
    }

    private boolean accepts() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
