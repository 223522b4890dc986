package io.github.cloudinarybackup.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How the slow {@link FaultKind}s put a reply on the wire. Each method runs on its own thread (not
 * one of the request threads) and ends by returning when it is done, or with an {@link IOException}
 * when the client went away or the emulator closed the connection, or with an {@link
 * InterruptedException} when the emulator shut its pool down.
 */
final class HostileBodies {

  private static final byte[] FILLER =
      "cloudinary-emulator filler: not part of any asset\n".getBytes(StandardCharsets.US_ASCII);

  /** Write size of an unpaced endless body. */
  private static final int ENDLESS_CHUNK = 16 * 1024;

  private HostileBodies() {}

  /**
   * Fills {@code length} bytes of {@code target} from {@code offset} with filler, as if {@code
   * skip} came first.
   */
  static void fill(byte[] target, int offset, int length, long skip) {
    for (int i = 0; i < length; i++) {
      target[offset + i] = FILLER[(int) ((skip + i) % FILLER.length)];
    }
  }

  /**
   * {@link FaultKind#TRICKLE}: the full Content-Length, then the body at {@code bytesPerSecond}.
   */
  static void trickle(HttpExchange exchange, HttpReply reply, int bytesPerSecond)
      throws IOException, InterruptedException {
    byte[] body = reply.body();
    reply.sendHeaders(exchange, body.length);
    OutputStream out = exchange.getResponseBody();
    Pacer pacer = new Pacer(bytesPerSecond);
    int piece = pacer.piece();
    for (int sent = 0; sent < body.length; ) {
      pacer.awaitTurn(sent);
      int n = Math.min(piece, body.length - sent);
      out.write(body, sent, n);
      out.flush();
      sent += n;
    }
    out.close();
  }

  /**
   * {@link FaultKind#SHORT_THEN_HANG}: the full Content-Length and half of the body; the caller
   * then parks it.
   */
  static void sendHalf(HttpExchange exchange, HttpReply reply) throws IOException {
    byte[] body = reply.body();
    reply.sendHeaders(exchange, body.length);
    OutputStream out = exchange.getResponseBody();
    out.write(body, 0, body.length / 2);
    out.flush();
  }

  /**
   * {@link FaultKind#ENDLESS_BODY}: chunked, the real body and then filler, forever; at {@code
   * bytesPerSecond}, or as fast as the client reads when 0. Only ends by an exception.
   */
  static void endless(HttpExchange exchange, HttpReply reply, int bytesPerSecond)
      throws IOException, InterruptedException {
    reply.sendHeaders(exchange, 0);
    OutputStream out = exchange.getResponseBody();
    Pacer pacer = bytesPerSecond > 0 ? new Pacer(bytesPerSecond) : null;
    int piece = pacer != null ? pacer.piece() : ENDLESS_CHUNK;
    byte[] body = reply.body();
    byte[] buffer = new byte[piece];
    for (long sent = 0; ; ) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("emulator closed");
      }
      if (pacer != null) {
        pacer.awaitTurn(sent);
      }
      int n;
      if (sent < body.length) {
        n = (int) Math.min(piece, body.length - sent);
        System.arraycopy(body, (int) sent, buffer, 0, n);
      } else {
        n = piece;
        fill(buffer, 0, n, sent - body.length);
      }
      out.write(buffer, 0, n);
      out.flush();
      sent += n;
    }
  }

  /**
   * Keeps a stream at or below a rate: byte {@code k} leaves no earlier than {@code k / rate}
   * seconds after the start, so at any moment at most one piece is ahead of {@code rate x elapsed}.
   */
  private static final class Pacer {
    private final int bytesPerSecond;
    private final long started = System.nanoTime();

    Pacer(int bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    /** About a tenth of a second's worth, at least one byte. */
    int piece() {
      return Math.max(1, bytesPerSecond / 10);
    }

    void awaitTurn(long sentSoFar) throws InterruptedException {
      long due = started + sentSoFar * 1_000_000_000L / bytesPerSecond;
      for (long wait; (wait = due - System.nanoTime()) > 0; ) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
  }
}
