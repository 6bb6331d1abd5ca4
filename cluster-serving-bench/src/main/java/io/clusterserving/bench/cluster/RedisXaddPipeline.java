package io.clusterserving.bench.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a burst of XADDs over one raw RESP connection: the load side of {@code cluster bench}.
 *
 * <p>A general client spends CPU per command on futures and reply tracking, and on a machine shared
 * with the job under test that CPU is taken from the job being measured. Here a command is a few array
 * copies into a buffered socket and a reply a few bytes scanned by a reader thread (which keeps the
 * socket drained while this thread writes). Speaks
 * RESP2: AUTH and SELECT from the endpoint's URI, TLS with the endpoint's trust store.
 */
final class RedisXaddPipeline implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String where;

    private RedisXaddPipeline(Socket socket, String where) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.where = where;
    }

    /** Connects, authenticates and selects the URI's database; fails with UNAVAILABLE naming the endpoint. */
    static RedisXaddPipeline open(RedisEndpoint endpoint, Duration timeout) {
        RedisURI uri = endpoint.toRedisURI();
        Socket socket = null;
        try {
            socket = uri.isSsl() ? tlsSocket(endpoint, uri) : new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) uri.getTimeout().toMillis());
            RedisXaddPipeline pipeline = new RedisXaddPipeline(socket, endpoint.redacted());
            pipeline.handshake(uri);
            return pipeline;
        } catch (IOException | GeneralSecurityException e) {
            closeQuietly(socket);
            throw new ServingException(StatusCode.UNAVAILABLE,
                    "cannot connect to Redis at " + endpoint.redacted() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * XADDs {@code records} entries {@code uri <prefix+i> data <body> [model <model>]} to {@code stream}
     * and waits for every reply.
     *
     * @return the id of the last entry
     * @throws ServingException UNAVAILABLE naming the first error reply and how many failed, or
     *                          DEADLINE_EXCEEDED when the replies do not arrive within {@code timeout}
     */
    String xadd(String stream, String prefix, int records, String body, String model, Duration timeout) {
        byte[] head = commandHead(stream, model == null ? 7 : 9); // XADD stream * uri <uri> data <body> [model <m>]
        byte[] tail = commandTail(body, model);
        Replies replies = new Replies(records);
        Thread reader = new Thread(replies, "bench-xadd-replies");
        reader.setDaemon(true);
        reader.start();
        try {
            for (int i = 0; i < records; i++) {
                out.write(head);
                writeBulk(out, (prefix + i).getBytes(StandardCharsets.UTF_8));
                out.write(tail);
            }
            out.flush();
        } catch (IOException e) {
            throw new ServingException(StatusCode.UNAVAILABLE, "sending XADDs to Redis at " + where + " failed: "
                    + e.getMessage(), e);
        }
        try {
            return replies.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ServingException(StatusCode.DEADLINE_EXCEEDED, "Redis at " + where + " answered "
                    + replies.received + " of " + records + " XADDs within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw ServingException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingException(StatusCode.CANCELLED, "interrupted while sending XADDs", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    /** Reads every reply of a burst; completes with the last entry id or fails naming the first error. */
    private final class Replies implements Runnable {
        private final int expected;
        private final CompletableFuture<String> done = new CompletableFuture<>();
        private volatile int received;

        Replies(int expected) {
            this.expected = expected;
        }

        @Override
        public void run() {
            try {
                String lastId = null;
                String firstError = null;
                int errors = 0;
                for (int i = 0; i < expected; i++) {
                    int type = in.read();
                    String line = readLine();
                    switch (type) {
                        case '$' -> {
                            byte[] id = in.readNBytes(Integer.parseInt(line));
                            readLine(); // the CRLF after the bulk string
                            if (i == expected - 1) {
                                lastId = new String(id, StandardCharsets.US_ASCII);
                            }
                        }
                        case '-' -> {
                            errors++;
                            firstError = firstError == null ? line : firstError;
                        }
                        case -1 -> throw new EOFException("Redis closed the connection after " + i + " replies");
                        default -> throw new IOException("unexpected reply to XADD: " + (char) type + line);
                    }
                    received = i + 1;
                }
                if (errors > 0) {
                    done.completeExceptionally(new ServingException(StatusCode.UNAVAILABLE, errors + " of "
                            + expected + " XADDs to Redis at " + where + " failed, first: " + firstError));
                } else {
                    done.complete(lastId);
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(new ServingException(StatusCode.UNAVAILABLE,
                        "reading XADD replies from Redis at " + where + " failed: " + e.getMessage(), e));
            }
        }
    }

    private void handshake(RedisURI uri) throws IOException {
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        if (credentials != null && credentials.hasPassword()) {
            String password = new String(credentials.getPassword());
            if (credentials.hasUsername()) {
                expectOk("AUTH", credentials.getUsername(), password);
            } else {
                expectOk("AUTH", password);
            }
        }
        if (uri.getDatabase() != 0) {
            expectOk("SELECT", Integer.toString(uri.getDatabase()));
        }
    }

    private void expectOk(String... command) throws IOException {
        out.write(('*' + Integer.toString(command.length)).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        for (String part : command) {
            writeBulk(out, part.getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        int type = in.read();
        String line = readLine();
        if (type != '+') {
            throw new IOException(command[0] + " was refused: " + line);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new EOFException("Redis closed the connection");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    /** {@code *<n> $4 XADD <stream> $1 * $3 uri}: everything before the uri's value. */
    private static byte[] commandHead(String stream, int arguments) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + arguments + "\r\n").getBytes(StandardCharsets.US_ASCII));
        writeBulk(b, "XADD".getBytes(StandardCharsets.US_ASCII));
        writeBulk(b, stream.getBytes(StandardCharsets.UTF_8));
        writeBulk(b, "*".getBytes(StandardCharsets.US_ASCII));
        writeBulk(b, "uri".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** {@code data <body> [model <model>]}: everything after the uri's value. */
    private static byte[] commandTail(String body, String model) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeBulk(b, "data".getBytes(StandardCharsets.US_ASCII));
        writeBulk(b, body.getBytes(StandardCharsets.UTF_8));
        if (model != null) {
            writeBulk(b, "model".getBytes(StandardCharsets.US_ASCII));
            writeBulk(b, model.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    private static void writeBulk(ByteArrayOutputStream b, byte[] value) {
        b.writeBytes(('$' + Integer.toString(value.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(value);
        b.writeBytes(CRLF);
    }

    private static void writeBulk(OutputStream out, byte[] value) throws IOException {
        out.write(('$' + Integer.toString(value.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(value);
        out.write(CRLF);
    }

    private static Socket tlsSocket(RedisEndpoint endpoint, RedisURI uri) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, endpoint.trustStore() == null ? null : endpoint.trustStore().trustManagers().getTrustManagers(),
                null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        if (uri.isVerifyPeer()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
        }
        return socket;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing after a failure; the failure is what gets reported
            }
        }
    }
}
