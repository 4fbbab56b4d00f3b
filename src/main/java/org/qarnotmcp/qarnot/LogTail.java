package org.qarnotmcp.qarnot;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.ArrayDeque;

/**
 * The end of a log read as a stream: only the last lines are kept (a ring of at most {@code maxLines} lines and
 * {@code maxChars} characters), so a log of any size is read in bounded memory. Qarnot's log endpoints have no
 * range or tail parameter, so the whole stream goes through; each line is cut at {@code maxLineChars}.
 */
final class LogTail {

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int maxLines;
    private final long maxChars;
    private final int maxLineChars;
    private long keptChars;
    private long lineCount;

    private LogTail(int maxLines, long maxChars, int maxLineChars) {
        this.maxLines = maxLines;
        this.maxChars = maxChars;
        this.maxLineChars = maxLineChars;
    }

    static LogTail read(InputStream in, Charset charset, int maxLines, long maxChars, int maxLineChars) throws IOException {
        LogTail tail = new LogTail(Math.max(1, maxLines), maxChars, maxLineChars);
        Reader reader = new InputStreamReader(in, charset);
        char[] buffer = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean cut = false;
        boolean pending = false;
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            for (int i = 0; i < n; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    tail.add(line, cut);
                    line.setLength(0);
                    cut = false;
                    pending = false;
                } else if (c != '\r') {
                    pending = true;
                    if (line.length() < maxLineChars) {
                        line.append(c);
                    } else {
                        cut = true;
                    }
                }
            }
        }
        if (pending) {
            tail.add(line, cut);
        }
        return tail;
    }

    private void add(StringBuilder line, boolean cut) {
        String text = cut ? line + " [line cut at " + maxLineChars + " characters]" : line.toString();
        lineCount++;
        lines.addLast(text);
        keptChars += text.length() + 1;
        while (lines.size() > maxLines || (keptChars > maxChars && lines.size() > 1)) {
            keptChars -= lines.removeFirst().length() + 1;
        }
    }

    /** Lines in the whole log. */
    long lineCount() {
        return lineCount;
    }

    /** The kept last lines, joined with '\n'. */
    String text() {
        return String.join("\n", lines);
    }
}
