package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API answers with an error: a status and a message for the caller (no personal data). */
public final class StaffApiException extends RuntimeException {
    private final HttpResponseStatus status;

    public StaffApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static StaffApiException badRequest(String message) {
        return new StaffApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public static StaffApiException notFound(String message) {
        return new StaffApiException(HttpResponseStatus.NOT_FOUND, message);
    }

    public HttpResponseStatus status() {
        return status;
    }
}
