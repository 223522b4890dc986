package io.github.cloudinarybackup.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete response (status, headers, body) and how it is put on the wire, optionally cut short.
 */
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
      return new HttpReply(
          status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
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

  byte[] body() {
    return body;
  }

  /**
   * True unless the body is empty or the request is a HEAD, i.e. when there is a body to send or
   * mangle.
   */
  boolean hasBodyFor(HttpExchange exchange) {
    return body.length > 0 && !"HEAD".equals(exchange.getRequestMethod());
  }

  /** The same status and headers with {@code extra} bytes of filler after the body. */
  HttpReply longer(int extra) {
    byte[] longer = new byte[body.length + extra];
    System.arraycopy(body, 0, longer, 0, body.length);
    HostileBodies.fill(longer, body.length, extra, 0);
    HttpReply reply = new HttpReply(status, headers.get("Content-Type"), longer);
    reply.headers.putAll(headers);
    return reply;
  }

  /**
   * Sets the headers and sends the status line with this Content-Length: -1 for no body, 0 for
   * chunked transfer (HttpServer's conventions).
   */
  void sendHeaders(HttpExchange exchange, long contentLength) throws IOException {
    headers.forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(status, contentLength);
  }

  /** Sends the reply in full. */
  void writeTo(HttpExchange exchange) throws IOException {
    if (!hasBodyFor(exchange)) {
      // -1 means "no body" to HttpServer; 0 would mean chunked.
      sendHeaders(exchange, -1);
      exchange.close();
      return;
    }
    sendHeaders(exchange, body.length);
    OutputStream out = exchange.getResponseBody();
    out.write(body);
    out.close();
  }

  /**
   * Declares the full Content-Length but sends only half of the body before closing the connection,
   * as when a transfer breaks midway.
   */
  void writeTruncated(HttpExchange exchange) throws IOException {
    if (!hasBodyFor(exchange)) {
      writeTo(exchange);
      return;
    }
    sendHeaders(exchange, body.length);
    OutputStream out = exchange.getResponseBody();
    out.write(body, 0, body.length / 2);
    out.flush();
    // Closing a fixed-length stream early makes HttpServer drop the connection instead of finishing
    // it.
    exchange.close();
  }
}
