package org.qarnotmcp;

import java.util.regex.Pattern;

/**
 * Text that came from a caller (a User-Agent, a header value, a tool argument), made safe to show in one log line or
 * error message: control characters (line breaks included) become {@code ?}, and anything over the limit is cut
 * with {@code ...}, so that a caller can neither forge log lines nor flood them.
 */
public final class CallerText {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private CallerText() {
    }

    public static String oneLine(String text, int maxChars) {
        String clean = CONTROL.matcher(text).replaceAll("?");
        return clean.length() <= maxChars ? clean : clean.substring(0, maxChars) + "...";
    }
}
