package org.qarnotmcp.transport;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * HTTP-level refusals carry a JSON-RPC error body, so that clients show a readable reason; it names the request's
 * id whenever the request could be read that far.
 */
final class JsonRpcErrors {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;

    private JsonRpcErrors() {
    }

    static void send(RoutingContext rc, int httpStatus, int code, String message) {
        send(rc, httpStatus, code, null, message, null);
    }

    /** {@code id} is the request's id when it is known (a string or a number), else null. */
    static void send(RoutingContext rc, int httpStatus, int code, Object id, String message) {
        send(rc, httpStatus, code, id, message, null);
    }

    static void send(RoutingContext rc, ProtocolEra.Rejection rejection) {
        send(rc, rejection.status(), rejection.code(), rejection.id(), rejection.message(), rejection.data());
    }

    static void send(RoutingContext rc, int httpStatus, int code, Object id, String message, Map<String, Object> data) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(httpStatus).putHeader("Content-Type", "application/json")
                .end(body(id, code, message, data).encode());
    }

    static JsonObject body(Object id, int code, String message, Map<String, Object> data) {
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        if (data != null) {
            error.put("data", new JsonObject(data));
        }
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error);
    }
}
