package org.qarnotmcp.transport;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP-level refusals carry a JSON-RPC error body, so that clients show a readable reason. */
final class JsonRpcErrors {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;

    private JsonRpcErrors() {
    }

    static void send(RoutingContext rc, int httpStatus, int code, String message) {
        send(rc, httpStatus, code, null, message);
    }

    /** {@code id} is the request's id when it is known (a string or a number), else null. */
    static void send(RoutingContext rc, int httpStatus, int code, Object id, String message) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        String body = new JsonObject()
                .put("jsonrpc", "2.0")
                .put("id", id)
                .put("error", new JsonObject().put("code", code).put("message", message))
                .encode();
        rc.response().setStatusCode(httpStatus).putHeader("Content-Type", "application/json").end(body);
    }
}
