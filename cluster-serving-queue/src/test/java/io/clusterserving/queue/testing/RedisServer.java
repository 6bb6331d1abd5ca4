package io.clusterserving.queue.testing;

import io.clusterserving.queue.redis.RedisEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free port, without persistence, for tests. Not a system
 * service: the test JVM starts it and kills it. {@link #startTls} serves TLS only.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    private final boolean tls;

    private RedisServer(Process process, int port, Path dir, boolean tls) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.tls = tls;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        int port = freePort();
        return start(port, false, List.of("--port", Integer.toString(port)));
    }

    /** TLS only, on a free port, with the server certificate of {@code certificates}; clients show none. */
    public static RedisServer startTls(TlsCertificates certificates) throws IOException, InterruptedException {
        int port = freePort();
        return start(port, true, List.of("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certificates.serverCertificate().toString(),
                "--tls-key-file", certificates.serverKey().toString(),
                "--tls-ca-cert-file", certificates.caCertificate().toString(),
                "--tls-auth-clients", "no"));
    }

    private static RedisServer start(int port, boolean tls, List<String> listenArgs)
            throws IOException, InterruptedException {
        String binary = which("redis-server");
        Path dir = Files.createTempDirectory("cs-redis");
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(listenArgs);
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no"));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(p, port, dir, tls);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // A TLS port cannot be PINGed in plain text; accepting connections is enough there.
        while (!(tls ? server.accepts() : server.answersPing())) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("redis-server did not start on port " + port + "; log: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    public RedisEndpoint endpoint() {
        return RedisEndpoint.of(uri());
    }

    /** Runs the real {@code redis-cli} against this (plain) server and returns its output (raw mode off, as typed). */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(which("redis-cli"), "--no-raw", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-cli " + args[0] + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; best effort
        }
    }

    private boolean accepts() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(command + " is not installed; install the Debian package redis-server "
                + "(apt-get install -y redis-server; ./run-tests does it when missing)");
    }
}
