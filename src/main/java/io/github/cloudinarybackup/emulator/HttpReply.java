package io.github.cloudinarybackup.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response (status, headers, body) and how it is put on the wire, optionally cut short. */
final class HttpReply {

    static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private HttpReply(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        headers.put("Content-Type", contentType);
    }

    static HttpReply json(int status, Object value) {
        try {
            return new HttpReply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    /** Cloudinary's error body, which every SDK expects for every non-200 status. */
    static HttpReply error(int status, String message) {
        return json(status, Map.of("error", Map.of("message", message)));
    }

    static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static HttpReply bytes(String contentType, byte[] body) {
        return new HttpReply(200, contentType, body);
    }

    HttpReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    /**
     * Sends the reply. When {@code truncate} is set, the full Content-Length is declared but only half of the body
     * is sent before the connection is closed, as when a transfer breaks midway.
     */
    void writeTo(HttpExchange exchange, boolean truncate) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        // -1 means "no body" to HttpServer; 0 would mean chunked.
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (noBody) {
            exchange.close();
            return;
        }
        OutputStream out = exchange.getResponseBody();
        if (truncate) {
            out.write(body, 0, body.length / 2);
            out.flush();
            // Closing a fixed-length stream early makes HttpServer drop the connection instead of finishing it.
            exchange.close();
            return;
        }
        out.write(body);
        out.close();
    }
}
