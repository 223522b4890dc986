package io.github.cloudinarybackup.emulator;

import java.time.Instant;

/**
 * One request the emulator received.
 *
 * @param at when the request reached the handler
 * @param method HTTP method
 * @param path the raw (still percent-encoded) path, without the query string, which may carry
 *     signatures
 * @param kind which surface the request addressed
 * @param status the status sent, or 0 when no status line was sent: the connection was dropped
 *     ({@link FaultKind#CONNECTION_RESET}) or the request hangs ({@link FaultKind#HANG}, recorded
 *     when the hang starts)
 * @param fault the fault injected into this request, or null when none was
 */
public record RecordedRequest(
    Instant at, String method, String path, Kind kind, int status, FaultKind fault) {

  public enum Kind {
    /** {@code /v1_1/<cloud>/...} except the download endpoint and uploads. */
    ADMIN,
    /** {@code /v1_1/<cloud>/<resource_type>/upload}: the Upload API, which has no rate limit. */
    UPLOAD,
    /** {@code /v1_1/<cloud>/<resource_type>/download}. */
    DOWNLOAD,
    /** {@code /<cloud>/<resource_type>/<type>/...} delivery URLs. */
    DELIVERY,
    OTHER
  }
}
