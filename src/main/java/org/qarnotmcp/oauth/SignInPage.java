package org.qarnotmcp.oauth;

/** The small sign-in page of /authorize: names the client and where it redirects, asks for the Qarnot key once. */
final class SignInPage {

    private SignInPage() {
    }

    static String form(String clientName, String redirectHost, String formToken, String error) {
        return page("Sign in to Qarnot", """
                <h1>Connect %s to Qarnot</h1>
                <p><strong>%s</strong> asks to use your Qarnot account through this server. After you sign in you will be
                sent back to <strong>%s</strong>.</p>
                %s
                <form method="post" action="authorize">
                  <input type="hidden" name="form" value="%s">
                  <label for="key">Qarnot API key</label>
                  <input id="key" name="key" type="password" autocomplete="off" required aria-describedby="where">
                  <p id="where" class="hint">Find it in Tasq (<a href="https://tasq.qarnot.com" target="_blank" rel="noopener">tasq.qarnot.com</a>),
                  under Settings &gt; Access token. It is checked with Qarnot, then kept only inside the encrypted token given to
                  %s; this server stores nothing.</p>
                  <button type="submit">Sign in</button>
                </form>
                """.formatted(escape(clientName), escape(clientName), escape(redirectHost),
                error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>",
                escape(formToken), escape(clientName)));
    }

    static String error(String title, String message) {
        return page(title, "<h1>" + escape(title) + "</h1><p role=\"alert\">" + escape(message) + "</p>");
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
                label{display:block;font-weight:600;margin-top:1rem}input[type=password]{width:100%%;padding:.5rem;font-size:1rem}
                button{margin-top:1rem;padding:.5rem 1.5rem;font-size:1rem}.hint{color:#555;font-size:.9rem}
                .error{color:#a00;font-weight:600}
                </style></head><body><main>
                %s
                </main></body></html>
                """.formatted(escape(title), body);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
