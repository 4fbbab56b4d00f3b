package org.qarnotmcp.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A POST whose answer is read as it arrives, over a plain socket: the status and headers, then one SSE event (or
 * comment) at a time. Closing it closes the connection, which is how a client cancels in MCP 2026-07-28.
 */
public final class SseStream implements AutoCloseable {

    /** One SSE block: its data line(s), or a comment; {@code raw} is the block as sent. */
    public record Event(String data, boolean comment, String raw) {
    }

    private final Socket socket;
    private final InputStream in;
    private final String head;
    private final boolean chunked;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean ended;

    private SseStream(Socket socket, String head, byte[] rest) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.head = head;
        this.chunked = head.toLowerCase().contains("transfer-encoding: chunked");
        pending.write(rest);
    }

    public static SseStream post(int port, Map<String, String> headers, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("Content-Length: ").append(payload.length).append("\r\nConnection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(payload);
        out.flush();
        socket.setSoTimeout(30_000);
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!headBytes.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            headBytes.write(b);
        }
        String all = headBytes.toString(StandardCharsets.ISO_8859_1);
        return new SseStream(socket, all.substring(0, Math.max(0, all.indexOf("\r\n\r\n"))), new byte[0]);
    }

    public int status() {
        return Integer.parseInt(head.split(" ")[1]);
    }

    public String header(String name) {
        return RawHttp.header(head, name);
    }

    /** The next event or comment, or null when the stream ended or nothing came within {@code wait}. */
    public Event next(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            int split = text.indexOf("\n\n");
            if (split >= 0) {
                String block = text.substring(0, split);
                text.delete(0, split + 2);
                List<String> data = new ArrayList<>();
                boolean comment = true;
                for (String line : block.split("\n")) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                        comment = false;
                    } else if (!line.startsWith(":")) {
                        comment = false;
                    }
                }
                return new Event(data.isEmpty() ? null : String.join("\n", data), comment, block);
            }
            if (ended) {
                return null;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            byte[] buffer = new byte[8192];
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (n < 0) {
                ended = true;
            } else {
                pending.write(buffer, 0, n);
                decode();
            }
        }
    }

    /** The whole rest of the body (for a plain JSON answer). */
    public String rest(Duration wait) throws IOException {
        StringBuilder all = new StringBuilder();
        long deadline = System.nanoTime() + wait.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            Event e = next(Duration.ofMillis(200));
            if (e != null) {
                all.append(e.raw()).append("\n\n");
            }
        }
        return all.append(text).toString();
    }

    public boolean ended() {
        return ended;
    }

    /** Moves the complete chunks (or all bytes, when not chunked) into the text. */
    private void decode() {
        byte[] bytes = pending.toByteArray();
        if (!chunked) {
            text.append(new String(bytes, StandardCharsets.UTF_8));
            pending.reset();
            return;
        }
        int i = 0;
        while (true) {
            int eol = indexOf(bytes, i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(bytes, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                ended = true;
                i = bytes.length;
                break;
            }
            if (bytes.length < eol + 2 + size + 2) {
                break;
            }
            text.append(new String(bytes, eol + 2, size, StandardCharsets.UTF_8));
            i = eol + 2 + size + 2;
        }
        pending.reset();
        pending.write(bytes, i, bytes.length - i);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
