package io.github.cloudinarybackup.emulator;

import java.time.Instant;

/**
 * One request the emulator received.
 *
 * @param at     when the request reached the handler
 * @param method HTTP method
 * @param path   the raw (still percent-encoded) path, without the query string, which may carry signatures
 * @param kind   which surface the request addressed
 * @param status the status sent, or 0 when the connection was dropped without a response
 */
public record RecordedRequest(Instant at, String method, String path, Kind kind, int status) {

    public enum Kind {
        /** {@code /v1_1/<cloud>/...} except the download endpoint. */
        ADMIN,
        /** {@code /v1_1/<cloud>/<resource_type>/download}. */
        DOWNLOAD,
        /** {@code /<cloud>/<resource_type>/<type>/...} delivery URLs. */
        DELIVERY,
        OTHER
    }
}
