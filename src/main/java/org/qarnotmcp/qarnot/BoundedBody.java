package org.qarnotmcp.qarnot;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * Qarnot's answer body as a stream that stops at a size limit while it is read, so that one large answer cannot take
 * the heap: past the limit, a read throws {@link TooLarge} and the connection is dropped rather than read to its end.
 */
final class BoundedBody extends FilterInputStream {

    /** The body went over the limit; nothing more was read. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("body over the limit");
        }
    }

    private final long limit;
    private long count;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, limit - count + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        count += n;
        if (count > limit) {
            abort(in);
            throw new TooLarge();
        }
    }

    /** The first {@code maxBytes} of a body as text (an error body: only its start is shown anyway). */
    static String head(InputStream in, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Closing a response stream reads it to its end so that the connection can be reused; an over-limit answer is
     * cut instead. (With gzip the stream is a decompressing wrapper, which can only be closed: it is then read and
     * thrown away, in bounded memory.)
     */
    static void abort(InputStream in) {
        if (in instanceof EofSensorInputStream sensor) {
            try {
                sensor.abort();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
        }
    }
}
