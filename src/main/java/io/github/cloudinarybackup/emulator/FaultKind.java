package io.github.cloudinarybackup.emulator;

/**
 * The failures {@link EmulatorFaults} can inject into a response, through {@link
 * EmulatorFaults#failNext}, {@link EmulatorFaults#adminFaultRate}, {@link
 * EmulatorFaults#deliveryFaultRate} or {@link EmulatorFaults#alwaysFail}. All but {@link
 * #MALFORMED_JSON} apply to every surface (Admin API, download endpoint, delivery URLs).
 *
 * <p>The kinds that mangle a body ({@link #TRUNCATED_BODY}, {@link #TRICKLE}, {@link
 * #SHORT_THEN_HANG}, {@link #ENDLESS_BODY}, {@link #LONGER_BODY}) keep the status and headers of
 * the response the request would have had (usually a 200 with the asset) and only change how its
 * body goes out. A HEAD request, or a response without a body, is answered normally by them. {@link
 * #HANG} applies to every request, HEAD included.
 *
 * <p>None of the slow kinds hold one of the emulator's 64 request threads: {@link #HANG} and the
 * stalled part of {@link #SHORT_THEN_HANG} hold no thread at all, {@link #TRICKLE} and {@link
 * #ENDLESS_BODY} write from a separate pool. All of them end when the emulator is closed, which
 * closes their connections.
 */
public enum FaultKind {
  /** A permanent refusal, as for an original that was removed between listing and download. */
  STATUS_404,
  /** An authorization failure, as for an expired or wrong signature. */
  STATUS_401,
  STATUS_500,
  STATUS_502,
  STATUS_503,
  /** Declares the full Content-Length, sends about half of the body, then closes the connection. */
  TRUNCATED_BODY,
  /**
   * Closes the connection without sending any response (an orderly close; HttpServer cannot send a
   * TCP RST). HTTP clients may retry an idempotent request once after this, so inject two to make a
   * GET fail for sure.
   */
  CONNECTION_RESET,
  /** A 500 whose body is an HTML page, as a misbehaving proxy would send. */
  HTML_ERROR_PAGE,
  /** A 200 whose body is not valid JSON. Admin API only. */
  MALFORMED_JSON,
  /**
   * Accepts the request and never answers: no status line, no byte, the connection left open.
   * Stands for an overloaded or wedged origin, a load balancer whose upstream died after accepting,
   * or a firewall that silently drops packets after the handshake: only the client's own timeout
   * ends it.
   *
   * <p>The request is recorded in {@link CloudinaryEmulator#requests()} with status 0 as soon as
   * the hang starts. The JDK HttpServer gives a handler no way to notice that a client gave up on a
   * request it has not answered, so the connection stays open on the emulator's side (counted by
   * {@link CloudinaryEmulator#requestsInProgress()}, holding a socket but no thread) until the
   * emulator is closed.
   */
  HANG,
  /**
   * Declares the full Content-Length, then sends the body very slowly, at {@link
   * EmulatorFaults#trickleBytesPerSecond()} (1 byte/s unless changed), flushing each piece, until
   * the body is complete or the client goes away. Stands for a saturated, throttled or lossy link,
   * or a slowloris-like middlebox: data keeps arriving, so an idle/read timeout never fires and
   * only an overall deadline or a minimum-throughput check ends the transfer.
   */
  TRICKLE,
  /**
   * A lying Content-Length: declares the full length, sends about half of the body, then keeps the
   * connection open and sends nothing more, without closing. Stands for a transfer that stalls
   * midway (an upstream that died behind a proxy keeping the client's connection, a NAT or
   * middlebox that dropped the flow): the declared length is never reached and nothing signals the
   * end; only a read (socket) timeout detects it. Recorded with the status sent (200); the
   * connection is closed when the emulator is closed.
   */
  SHORT_THEN_HANG,
  /**
   * The status of the real response (200 for an asset) with chunked transfer encoding and no
   * Content-Length, and a body that never ends: the real bytes, then filler, until the client
   * closes the connection. Paced by {@link EmulatorFaults#endlessBodyBytesPerSecond()} (as fast as
   * the client reads unless changed). Stands for a proxy or origin streaming an unbounded response
   * (a generator stuck in a loop, the wrong object, an error stream): a client that buffers it in
   * memory or writes it to disk without a size cap or a deadline runs out of memory or disk, and a
   * read timeout never fires.
   */
  ENDLESS_BODY,
  /**
   * A consistent but wrong response: Content-Length and body are {@link
   * EmulatorFaults#LONGER_BODY_EXTRA_BYTES} longer than the asset (its real bytes followed by
   * filler), sent in full, with the asset's usual ETag. Stands for a CDN or origin serving a
   * different, larger object than the listing describes (a stale or poisoned cache, an error page
   * appended by a proxy, an object overwritten between listing and download): HTTP sees nothing
   * wrong, only comparing the size (or checksum) with the listing's {@code bytes} (or {@code etag})
   * catches it.
   */
  LONGER_BODY;

  /** Kinds answered with a canned response instead of the real one. */
  boolean isCannedReply() {
    return switch (this) {
      case STATUS_404,
          STATUS_401,
          STATUS_500,
          STATUS_502,
          STATUS_503,
          HTML_ERROR_PAGE,
          MALFORMED_JSON ->
          true;
      default -> false;
    };
  }
}
