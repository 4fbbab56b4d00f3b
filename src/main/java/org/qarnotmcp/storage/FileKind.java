package org.qarnotmcp.storage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a stored file is, from its first bytes (content types set by uploaders are often just
 * {@code application/octet-stream}): an image Claude can look at, text, or other binary.
 */
final class FileKind {

    private FileKind() {}

    /** The MIME type of a PNG, JPEG, GIF or WebP image by its magic bytes, else null. */
    static String imageType(byte[] head) {
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (head.length >= 12 && startsWith(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    /** A name that looks like an image (so it is worth fetching whole to check its magic bytes). */
    static boolean looksLikeImage(String key, String contentType) {
        String k = key.toLowerCase(Locale.ROOT);
        return (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("image/"))
                || k.endsWith(".png") || k.endsWith(".jpg") || k.endsWith(".jpeg") || k.endsWith(".gif")
                || k.endsWith(".webp");
    }

    /**
     * Decodes bytes as UTF-8 text, or returns null for binary (a NUL byte, or bytes that are not UTF-8). A
     * character cut by the range at either end is dropped rather than taken as a sign of binary.
     */
    static String text(byte[] bytes, int length, boolean cutAtStart, boolean cutAtEnd) {
        int from = 0;
        int to = length;
        if (cutAtStart) {
            while (from < to && from < 3 && (bytes[from] & 0xC0) == 0x80) {
                from++;
            }
        }
        if (cutAtEnd) {
            to = completeUtf8End(bytes, from, to);
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The end of the last whole UTF-8 character at or before {@code to}. */
    private static int completeUtf8End(byte[] b, int from, int to) {
        int i = to - 1;
        int continuation = 0;
        while (i >= from && continuation < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < from) {
            return to;
        }
        int lead = b[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return needed > continuation ? i : to;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
