package nl.aware.web.console;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.http.HttpAnswer;
import nl.aware.http.HttpExchange;
import nl.aware.http.HttpService;

/**
 * Answers the console's paths ({@code /}, {@code /console/…}) on the staff API's port, before the API's
 * routes; every other request goes to {@code api}. Only GET and HEAD (the toolkit's codec sends no body
 * for HEAD). The browser headers, the strict Content-Security-Policy among them, are the toolkit's
 * ({@link nl.aware.http.SecurityHeaders}), the same on every answer of this port.
 */
public final class ConsoleHandler implements HttpService {
    private final ConsoleFiles files;
    private final HttpService api;

    public ConsoleHandler(ConsoleFiles files, HttpService api) {
        this.files = files;
        this.api = api;
    }

    @Override
    public void serve(HttpExchange exchange) {
        if (!ConsoleFiles.handles(exchange.path())) {
            api.serve(exchange);
            return;
        }
        if (!exchange.method().equals(HttpMethod.GET) && !exchange.method().equals(HttpMethod.HEAD)) {
            exchange.respond(HttpAnswer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "the console's pages are read with GET")
                    .withHeader(HttpHeaderNames.ALLOW.toString(), "GET, HEAD"));
            return;
        }
        ConsoleFiles.Answer answer = files.answer(exchange.path());
        HttpAnswer http = HttpAnswer.bytes(answer.status(), answer.contentType(), answer.body());
        exchange.respond(answer.location() == null ? http
                : http.withHeader(HttpHeaderNames.LOCATION.toString(), answer.location()));
    }
}
