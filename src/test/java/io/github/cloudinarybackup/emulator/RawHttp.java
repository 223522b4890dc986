package io.github.cloudinarybackup.emulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client on a socket, for tests that must see exactly what the emulator puts on the
 * wire: whether a status line came at all, what the head declares, and every byte of the body as it
 * arrives, with no client-side retries or buffering in between.
 */
final class RawHttp implements Closeable {

  private final Socket socket;
  private final InputStream in;
  private int status = -1;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends {@code GET pathAndQuery} (or another method) to the emulator; reads nothing yet. */
  static RawHttp send(URI base, String method, String pathAndQuery) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    RawHttp http = new RawHttp(socket);
    String request =
        method
            + " "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: "
            + base.getAuthority()
            + "\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return http;
  }

  static RawHttp get(URI base, String pathAndQuery) throws IOException {
    return send(base, "GET", pathAndQuery);
  }

  /** Read timeout of the socket in milliseconds; 0 waits for ever. */
  RawHttp timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
    return this;
  }

  /**
   * Reads the status line and the headers.
   *
   * @throws java.net.SocketTimeoutException when the head does not come within the read timeout
   * @throws java.io.EOFException when the connection ends first
   */
  RawHttp readHead() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    status = Integer.parseInt(parts[1]);
    for (String line; !(line = line()).isEmpty(); ) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return this;
  }

  int status() {
    return status;
  }

  /** A header of the response (name in any case), or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The raw body as it arrives, after {@link #readHead()}; not de-chunked. */
  InputStream body() {
    return in;
  }

  /** Reads exactly {@code n} bytes of the body. */
  byte[] readBody(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new java.io.EOFException("got " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new java.io.EOFException("connection closed in the response head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
