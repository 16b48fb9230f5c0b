package io.sequencer.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.x server on a plain socket for local webhook receivers, which treats connections as the chosen
 * kind of real receiver does ({@link ReceiverConnections}); the JDK's HttpServer always keeps them alive, so it
 * cannot play a receiver that closes them. It reads requests with a {@code Content-Length} body (what every
 * Sequencer channel sends) and answers each with a status and an empty body. It listens on 127.0.0.1 only.
 */
public final class SocketHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SocketHttpServer.class.getName());
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** A request as the handler sees it. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        /** The header's value, whatever the case of its name; null when absent. */
        public String header(String name) {
            return headers.get(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers a request with a status code. */
    @FunctionalInterface
    public interface Handler {
        int answer(Request request);
    }

    private final ReceiverConnections connections;
    private final Handler handler;
    private final ServerSocket listener;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "receiver-connection");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public SocketHttpServer(ReceiverConnections connections, Handler handler) throws IOException {
        this.connections = connections;
        this.handler = handler;
        this.listener = new ServerSocket(0, 256, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptConnections, "receiver-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptConnections() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "accept failed", e);
                }
                continue;
            }
            open.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException shuttingDown) {
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) connections.idleLimit().toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Optional<Request> request = read(in);
                if (request.isEmpty()) {
                    return;
                }
                int status = answer(request.get());
                out.write(connections.head(status).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!connections.keepsOpen() || "close".equalsIgnoreCase(request.get().header("Connection"))) {
                    // Half-close, then close: the way Python's socketserver ends a connection.
                    socket.shutdownOutput();
                    return;
                }
            }
        } catch (SocketTimeoutException idle) {
            // Idle past the limit: the connection is dropped without a word, as proxies do.
        } catch (IOException clientWentAway) {
            LOG.log(Level.FINE, "connection ended", clientWentAway);
        } finally {
            open.remove(socket);
        }
    }

    private int answer(Request request) {
        try {
            return handler.answer(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "receiver handler failed", e);
            return 500;
        }
    }

    /** The next request, or empty when the client closed the connection before sending one. */
    private static Optional<Request> read(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return Optional.empty();
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3) {
            throw new IOException("bad request line");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        int length = headers.containsKey("Content-Length") ? Integer.parseInt(headers.get("Content-Length")) : 0;
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("body too large");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("body cut short");
        }
        return Optional.of(new Request(requestLine[0], requestLine[1], Collections.unmodifiableMap(headers), body));
    }

    /** The request line and headers up to the blank line, or null at the end of the stream before any byte. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CR LF CR LF has been seen
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("head cut short");
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("head too large");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(SocketHttpServer::closeQuietly);
        workers.shutdownNow();
    }
}
